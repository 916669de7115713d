// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// audit_log_test.cc - audit ring: contents, wrap-around, anchor, tampering.
#include "audit_log.h"

#include <gtest/gtest.h>

#include <stddef.h>
#include <string.h>

#include <random>
#include <utility>
#include <vector>

#include "crypto.h"

namespace ucon {
namespace {

// Event i and its decision: every copied field differs per i, so a wrong
// copy or a record from the wrong slot shows up.
struct tzu_event make_event(uint32_t i) {
  struct tzu_event ev;
  memset(&ev, 0, sizeof(ev));
  ev.hdr.magic = TZU_MAGIC;
  ev.hdr.version = TZU_ABI_VERSION;
  ev.hdr.command = TZU_CMD_DECIDE;
  ev.hdr.size = sizeof(ev);
  ev.seq = 1000u + i;
  ev.hook = 1u + i % (TZU_HOOK_COUNT - 1u);
  ev.subject.pid = 500u + i;
  ev.subject.tgid = 400u + i;
  ev.object.id = 77u * i;
  memcpy(ev.subject.comm, "auditor", 8);
  return ev;
}

struct tzu_decision make_decision(uint32_t i) {
  struct tzu_decision d;
  memset(&d, 0, sizeof(d));
  d.seq = 1000u + i;
  d.verdict = i % 2u;
  d.flags = i % 3u == 0 ? TZU_DF_DEFAULT : TZU_DF_PERMISSIVE;
  d.obligations = TZU_OBL_AUDIT | (i % 2u ? TZU_OBL_KILL : 0u);
  d.rule_id = 10u + i;
  d.epoch = 3u;
  d.session_id = i % 4u == 0 ? 0u : 90u + i;
  return d;
}

class Ring {
 public:
  explicit Ring(uint32_t capacity) : storage_(capacity) {
    log_.init(storage_.data(), capacity);
  }
  void append_n(uint32_t first, uint32_t n) {
    for (uint32_t i = first; i < first + n; ++i) {
      log_.append(make_event(i), make_decision(i));
    }
  }
  std::vector<tzu_audit_record> read(uint64_t from, uint32_t max,
                                     AuditReadInfo* info) const {
    std::vector<tzu_audit_record> out(max);
    const uint32_t n = log_.read(from, out.data(), max, info);
    out.resize(n);
    return out;
  }
  AuditLog& log() { return log_; }

 private:
  std::vector<tzu_audit_record> storage_;
  AuditLog log_;
};

bool is_zero(const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != 0) return false;
  }
  return true;
}

TEST(AuditLog, AppendCopiesDecisionAndEventFields) {
  Ring ring(8);
  ring.append_n(0, 3);
  AuditReadInfo info;
  const auto recs = ring.read(0, 8, &info);
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(info.first_index, 0u);
  EXPECT_EQ(info.next_index, 3u);
  EXPECT_EQ(info.dropped, 0u);
  EXPECT_TRUE(is_zero(info.anchor, sizeof(info.anchor)));
  for (uint32_t i = 0; i < 3; ++i) {
    const struct tzu_event ev = make_event(i);
    const struct tzu_decision d = make_decision(i);
    const tzu_audit_record& r = recs[i];
    EXPECT_EQ(r.index, i);
    EXPECT_EQ(r.event_seq, ev.seq);
    uint8_t digest[32];
    sha256(&ev, sizeof(ev), digest);
    EXPECT_EQ(memcmp(r.event_digest, digest, 32), 0) << i;
    EXPECT_EQ(r.rule_id, d.rule_id);
    EXPECT_EQ(r.verdict, d.verdict);
    EXPECT_EQ(r.flags, d.flags);
    EXPECT_EQ(r.epoch, d.epoch);
    EXPECT_EQ(r.hook, ev.hook);
    EXPECT_EQ(r.tgid, ev.subject.tgid);
    EXPECT_EQ(r.obligations, d.obligations);
    EXPECT_EQ(r.session_id, d.session_id);
  }
  EXPECT_TRUE(AuditLog::verify(info.anchor, recs.data(), 3));
}

TEST(AuditLog, ChainMatchesTheDocumentedFormula) {
  // Recompute hash = SHA256(prev || 80 record bytes) without chain_hash().
  Ring ring(4);
  ring.append_n(0, 2);
  const auto recs = ring.read(0, 4, nullptr);
  ASSERT_EQ(recs.size(), 2u);
  uint8_t prev[32] = {};
  for (const tzu_audit_record& r : recs) {
    uint8_t buf[32 + offsetof(tzu_audit_record, hash)];
    memcpy(buf, prev, 32);
    memcpy(buf + 32, &r, offsetof(tzu_audit_record, hash));
    uint8_t want[32];
    sha256(buf, sizeof(buf), want);
    EXPECT_EQ(memcmp(r.hash, want, 32), 0) << "record " << r.index;
    memcpy(prev, r.hash, 32);
  }
}

TEST(AuditLog, EmptyLogReadsNothing) {
  Ring ring(4);
  AuditReadInfo info;
  memset(&info, 0xff, sizeof(info));
  EXPECT_TRUE(ring.read(0, 4, &info).empty());
  EXPECT_EQ(info.first_index, 0u);
  EXPECT_EQ(info.next_index, 0u);
  EXPECT_EQ(info.dropped, 0u);
  EXPECT_TRUE(is_zero(info.anchor, 32));
}

TEST(AuditLog, WrapAroundCountsDroppedAndKeepsNewest) {
  Ring ring(4);
  ring.append_n(0, 10);
  EXPECT_EQ(ring.log().next_index(), 10u);
  EXPECT_EQ(ring.log().dropped(), 6u);
  AuditReadInfo info;
  const auto recs = ring.read(0, 16, &info);
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_EQ(info.first_index, 6u);
  EXPECT_EQ(info.next_index, 10u);
  EXPECT_EQ(info.dropped, 6u);
  for (uint32_t i = 0; i < 4; ++i) {
    EXPECT_EQ(recs[i].index, 6u + i);
    EXPECT_EQ(recs[i].event_seq, 1006u + i);
    EXPECT_EQ(recs[i].rule_id, 16u + i);
  }
}

TEST(AuditLog, AnchorAfterWrapIsHashOfNewestFallenRecord) {
  // A ring large enough to keep everything sees the same chain.
  Ring small(4);
  Ring big(16);
  small.append_n(0, 10);
  big.append_n(0, 10);
  const auto all = big.read(0, 16, nullptr);
  ASSERT_EQ(all.size(), 10u);

  AuditReadInfo info;
  const auto recs = small.read(0, 16, &info);
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_EQ(memcmp(info.anchor, all[5].hash, 32), 0);
  EXPECT_EQ(memcmp(recs.data(), all.data() + 6, 4 * sizeof(recs[0])), 0);
  EXPECT_TRUE(AuditLog::verify(info.anchor, recs.data(), 4));

  const uint8_t zeros[32] = {};
  EXPECT_FALSE(AuditLog::verify(zeros, recs.data(), 4));
}

TEST(AuditLog, ReadFromIndexThatFellOffStartsAtOldestKept) {
  Ring ring(4);
  ring.append_n(0, 10);
  AuditReadInfo info;
  const auto recs = ring.read(2, 2, &info);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(info.first_index, 6u);
  EXPECT_EQ(recs[0].index, 6u);
  EXPECT_EQ(recs[1].index, 7u);
  EXPECT_TRUE(AuditLog::verify(info.anchor, recs.data(), 2));
}

TEST(AuditLog, ReadFromTheMiddleAnchorsOnThePreviousRecord) {
  Ring ring(8);
  ring.append_n(0, 6);
  const auto all = ring.read(0, 8, nullptr);
  AuditReadInfo info;
  const auto recs = ring.read(3, 2, &info);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(info.first_index, 3u);
  EXPECT_EQ(memcmp(info.anchor, all[2].hash, 32), 0);
  EXPECT_TRUE(AuditLog::verify(info.anchor, recs.data(), 2));
}

TEST(AuditLog, ChunkedReadsChainTogether) {
  Ring ring(5);
  ring.append_n(0, 12);
  AuditReadInfo first;
  const auto a = ring.read(0, 3, &first);
  ASSERT_EQ(a.size(), 3u);
  AuditReadInfo second;
  const auto b = ring.read(a.back().index + 1, 3, &second);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(memcmp(second.anchor, a.back().hash, 32), 0);
  EXPECT_TRUE(AuditLog::verify(first.anchor, a.data(), 3));
  EXPECT_TRUE(AuditLog::verify(second.anchor, b.data(), 2));
}

TEST(AuditLog, ReadPastTheEndGivesTheAnchorOfTheNextAppend) {
  Ring ring(4);
  ring.append_n(0, 3);
  const auto all = ring.read(0, 4, nullptr);
  AuditReadInfo info;
  EXPECT_TRUE(ring.read(100, 4, &info).empty());
  EXPECT_EQ(info.first_index, 3u);
  EXPECT_EQ(info.next_index, 3u);
  EXPECT_EQ(memcmp(info.anchor, all[2].hash, 32), 0);
  EXPECT_EQ(ring.log().read(0, nullptr, 0, nullptr), 0u);
}

TEST(AuditLog, TamperingAnyByteFailsVerify) {
  Ring ring(4);
  ring.append_n(0, 7);
  AuditReadInfo info;
  const auto recs = ring.read(0, 4, &info);
  ASSERT_EQ(recs.size(), 4u);
  ASSERT_TRUE(AuditLog::verify(info.anchor, recs.data(), 4));
  for (size_t rec = 0; rec < recs.size(); ++rec) {
    for (size_t off = 0; off < sizeof(tzu_audit_record); ++off) {
      auto copy = recs;
      auto* bytes = reinterpret_cast<uint8_t*>(&copy[rec]);
      bytes[off] ^= 0x01;
      EXPECT_FALSE(AuditLog::verify(info.anchor, copy.data(), 4))
          << "record " << rec << " byte " << off;
    }
  }
  for (size_t off = 0; off < 32; ++off) {
    uint8_t anchor[32];
    memcpy(anchor, info.anchor, 32);
    anchor[off] ^= 0x80;
    EXPECT_FALSE(AuditLog::verify(anchor, recs.data(), 4)) << "anchor " << off;
  }
}

TEST(AuditLog, RemovedOrReorderedRecordsFailVerify) {
  Ring ring(8);
  ring.append_n(0, 5);
  AuditReadInfo info;
  auto recs = ring.read(0, 8, &info);
  ASSERT_EQ(recs.size(), 5u);
  auto gap = recs;
  gap.erase(gap.begin() + 2);
  EXPECT_FALSE(AuditLog::verify(info.anchor, gap.data(), 4));
  auto swapped = recs;
  std::swap(swapped[1], swapped[2]);
  EXPECT_FALSE(AuditLog::verify(info.anchor, swapped.data(), 5));
  EXPECT_TRUE(AuditLog::verify(info.anchor, recs.data(), 0));
}

TEST(AuditLog, ValidHashesWithAnIndexGapFailVerify) {
  // Records re-chained with correct hashes but a skipped index: the hashes
  // alone would pass, the index check must not.
  Ring ring(4);
  ring.append_n(0, 2);
  AuditReadInfo info;
  auto recs = ring.read(0, 4, &info);
  ASSERT_EQ(recs.size(), 2u);
  recs[1].index = 2;
  AuditLog::chain_hash(recs[0].hash, recs[1], recs[1].hash);
  EXPECT_FALSE(AuditLog::verify(info.anchor, recs.data(), 2));
  recs[1].index = 1;
  AuditLog::chain_hash(recs[0].hash, recs[1], recs[1].hash);
  EXPECT_TRUE(AuditLog::verify(info.anchor, recs.data(), 2));
}

TEST(AuditLog, ZeroCapacityDropsEverythingWithoutCrashing) {
  // Not a supported configuration (capacity >= 1), but it must not crash.
  AuditLog log;
  log.init(nullptr, 0);
  log.append(make_event(0), make_decision(0));
  log.append(make_event(1), make_decision(1));
  EXPECT_EQ(log.next_index(), 2u);
  EXPECT_EQ(log.dropped(), 2u);
  tzu_audit_record r;
  AuditReadInfo info;
  EXPECT_EQ(log.read(0, &r, 1, &info), 0u);
  EXPECT_EQ(info.first_index, 2u);
}

TEST(AuditLog, CapacityOneKeepsOnlyTheNewest) {
  Ring ring(1);
  Ring big(8);
  ring.append_n(0, 5);
  big.append_n(0, 5);
  const auto all = big.read(0, 8, nullptr);
  EXPECT_EQ(ring.log().capacity(), 1u);
  EXPECT_EQ(ring.log().dropped(), 4u);
  AuditReadInfo info;
  const auto recs = ring.read(0, 8, &info);
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].index, 4u);
  EXPECT_EQ(info.first_index, 4u);
  EXPECT_EQ(info.dropped, 4u);
  EXPECT_EQ(memcmp(info.anchor, all[3].hash, 32), 0);
  EXPECT_TRUE(AuditLog::verify(info.anchor, recs.data(), 1));
}

TEST(AuditLog, InitResetsTheChain) {
  Ring ring(4);
  ring.append_n(0, 6);
  std::vector<tzu_audit_record> storage(2);
  ring.log().init(storage.data(), 2);
  EXPECT_EQ(ring.log().next_index(), 0u);
  EXPECT_EQ(ring.log().dropped(), 0u);
  ring.log().append(make_event(0), make_decision(0));
  tzu_audit_record r;
  AuditReadInfo info;
  ASSERT_EQ(ring.log().read(0, &r, 1, &info), 1u);
  EXPECT_TRUE(is_zero(info.anchor, 32));
  EXPECT_TRUE(AuditLog::verify(info.anchor, &r, 1));
}

// Secure-world records (TZU_AUDIT_*): the fields as abi/tzucon_abi.h names
// them, in the same chain as decisions.
TEST(AuditLog, SecureRecordFieldsAndChain) {
  Ring ring(8);
  ring.append_n(0, 1);
  uint8_t digest[32];
  for (uint8_t i = 0; i < 32; ++i) digest[i] = static_cast<uint8_t>(0xa0 + i);
  AuditLog::SecureRecord sr;
  sr.kind = TZU_AUDIT_AUTH_REFUSED;
  sr.status = TZU_E_REPLAY;
  sr.command = TZU_CMD_SET_MODE;
  sr.session = 3;
  sr.flags = TZU_SF_BOOT_POLICY;
  sr.epoch = 9;
  sr.arg = 0x1122334455667788ull;
  sr.digest = digest;
  ASSERT_TRUE(ring.log().append_secure(sr));
  sr.digest = nullptr;
  sr.kind = TZU_AUDIT_MODE;
  ASSERT_TRUE(ring.log().append_secure(sr));
  AuditReadInfo info;
  const auto recs = ring.read(0, 8, &info);
  ASSERT_EQ(recs.size(), 3u);
  const tzu_audit_record& r = recs[1];
  EXPECT_EQ(r.index, 1u);
  EXPECT_EQ(r.hook, static_cast<uint32_t>(TZU_AUDIT_AUTH_REFUSED));
  EXPECT_EQ(r.verdict, static_cast<uint32_t>(TZU_E_REPLAY));
  EXPECT_EQ(r.rule_id, static_cast<uint32_t>(TZU_CMD_SET_MODE));
  EXPECT_EQ(r.session_id, 3u);
  EXPECT_EQ(r.flags, static_cast<uint32_t>(TZU_SF_BOOT_POLICY));
  EXPECT_EQ(r.epoch, 9u);
  EXPECT_EQ(r.event_seq, 0x1122334455667788ull);
  EXPECT_EQ(memcmp(r.event_digest, digest, 32), 0);
  EXPECT_EQ(r.tgid, 0u);
  EXPECT_EQ(r.obligations, 0u);
  EXPECT_TRUE(is_zero(recs[2].event_digest, 32)) << "null digest = zeros";
  EXPECT_TRUE(AuditLog::verify(info.anchor, recs.data(), 3));
  EXPECT_EQ(memcmp(ring.log().head(), recs[2].hash, 32), 0);
}

TEST(AuditLog, HeadIsZeroBeforeTheFirstRecord) {
  Ring ring(2);
  EXPECT_TRUE(is_zero(ring.log().head(), 32));
  ring.append_n(0, 3);
  AuditReadInfo info;
  const auto recs = ring.read(0, 2, &info);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(memcmp(ring.log().head(), recs[1].hash, 32), 0);
}

// Fail-closed: a full ring of undrained records refuses (decisions and
// secure records alike) and writes nothing; an ack frees room.
TEST(AuditLog, FailClosedRefusesWhenFullUntilAcked) {
  Ring ring(3);
  ring.log().set_fail_closed(true);
  EXPECT_TRUE(ring.log().fail_closed());
  ring.append_n(0, 3);
  EXPECT_TRUE(ring.log().full());
  uint8_t head[32];
  memcpy(head, ring.log().head(), 32);
  EXPECT_FALSE(ring.log().append(make_event(3), make_decision(3)));
  AuditLog::SecureRecord sr;
  sr.kind = TZU_AUDIT_MODE;
  EXPECT_FALSE(ring.log().append_secure(sr));
  EXPECT_EQ(ring.log().refused(), 2u);
  EXPECT_EQ(ring.log().next_index(), 3u);
  EXPECT_EQ(memcmp(ring.log().head(), head, 32), 0) << "nothing written";

  ring.log().ack(1);  // record 0 drained
  EXPECT_FALSE(ring.log().full());
  EXPECT_TRUE(ring.log().append(make_event(3), make_decision(3)));
  EXPECT_TRUE(ring.log().full());
  EXPECT_EQ(ring.log().dropped(), 0u) << "a drained record is not lost";
  ring.log().ack(100);  // clamped to next_index
  EXPECT_FALSE(ring.log().full());
  ring.append_n(4, 3);
  EXPECT_TRUE(ring.log().full());
  EXPECT_EQ(ring.log().next_index(), 7u);
  ring.log().ack(2);  // going back has no effect
  EXPECT_TRUE(ring.log().full());
  AuditReadInfo info;
  const auto recs = ring.read(0, 8, &info);
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].index, 4u);
  EXPECT_TRUE(AuditLog::verify(info.anchor, recs.data(), 3));
}

TEST(AuditLog, DropOldestIsNeverFull) {
  Ring ring(2);
  ring.append_n(0, 5);
  EXPECT_FALSE(ring.log().full());
  EXPECT_EQ(ring.log().refused(), 0u);
  EXPECT_EQ(ring.log().dropped(), 3u);
}

// Drop-oldest: only records that fall off before being drained count as
// dropped.
TEST(AuditLog, DroppedCountsOnlyUndrainedRecords) {
  Ring ring(4);
  ring.append_n(0, 4);
  ring.log().ack(2);           // records 0 and 1 drained
  ring.append_n(4, 2);         // 0 and 1 fall off: drained, not lost
  EXPECT_EQ(ring.log().dropped(), 0u);
  ring.append_n(6, 1);         // 2 falls off undrained
  EXPECT_EQ(ring.log().dropped(), 1u);
  ring.log().ack(7);
  ring.append_n(7, 4);         // 3..6 fall off, all drained
  EXPECT_EQ(ring.log().dropped(), 1u);
  AuditReadInfo info;
  const auto recs = ring.read(0, 8, &info);
  EXPECT_EQ(info.dropped, 1u);
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_TRUE(AuditLog::verify(info.anchor, recs.data(), 4));
}

// The records immediate hashing gives, by the documented formulas:
// event_digest = SHA256(event), hash = SHA256(prev hash || bytes before hash).
class Reference {
 public:
  void add(struct tzu_audit_record r, const struct tzu_event* ev) {
    r.index = recs_.size();
    if (ev != nullptr) sha256(ev, sizeof(*ev), r.event_digest);
    uint8_t buf[kSha256Len + offsetof(tzu_audit_record, hash)];
    memcpy(buf, head(), kSha256Len);
    memcpy(buf + kSha256Len, &r, offsetof(tzu_audit_record, hash));
    sha256(buf, sizeof(buf), r.hash);
    recs_.push_back(r);
  }
  const uint8_t* head() const {
    static const uint8_t kZero[kSha256Len] = {};
    return recs_.empty() ? kZero : recs_.back().hash;
  }
  const uint8_t* hash_before(uint64_t i) const {
    static const uint8_t kZero[kSha256Len] = {};
    return i == 0 ? kZero : recs_[i - 1].hash;
  }
  const tzu_audit_record& at(uint64_t i) const { return recs_[i]; }
  uint64_t size() const { return recs_.size(); }

 private:
  std::vector<tzu_audit_record> recs_;
};

// What append() and append_secure() should store, before hashing.
struct tzu_audit_record expected_decision(uint32_t i) {
  const tzu_event ev = make_event(i);
  const tzu_decision d = make_decision(i);
  struct tzu_audit_record r;
  memset(&r, 0, sizeof(r));
  r.event_seq = ev.seq;
  r.rule_id = d.rule_id;
  r.verdict = d.verdict;
  r.flags = d.flags;
  r.epoch = d.epoch;
  r.hook = ev.hook;
  r.tgid = ev.subject.tgid;
  r.obligations = d.obligations;
  r.session_id = d.session_id;
  return r;
}

AuditLog::SecureRecord secure_record(uint32_t i, const uint8_t* digest) {
  AuditLog::SecureRecord e;
  e.kind = TZU_AUDIT_POLICY_LOAD;
  e.status = i % 5u;
  e.command = TZU_CMD_LOAD_POLICY;
  e.session = 7u + i;
  e.flags = i;
  e.epoch = 2u;
  e.arg = 0x1000u + i;
  e.digest = i % 2u ? digest : nullptr;
  return e;
}

struct tzu_audit_record expected_secure(const AuditLog::SecureRecord& e) {
  struct tzu_audit_record r;
  memset(&r, 0, sizeof(r));
  r.hook = e.kind;
  r.event_seq = e.arg;
  if (e.digest) memcpy(r.event_digest, e.digest, sizeof(r.event_digest));
  r.rule_id = e.command;
  r.verdict = e.status;
  r.flags = e.flags;
  r.epoch = e.epoch;
  r.session_id = e.session;
  return r;
}

// Reads everything still kept and checks it against the reference: bytes,
// anchor, head and counters.
void expect_matches(const AuditLog& log, const Reference& ref,
                    uint32_t capacity) {
  const uint64_t oldest =
      ref.size() > capacity ? ref.size() - capacity : 0;
  std::vector<tzu_audit_record> out(capacity + 1);
  AuditReadInfo info;
  const uint32_t n = log.read(0, out.data(), capacity + 1, &info);
  ASSERT_EQ(n, ref.size() - oldest);
  EXPECT_EQ(info.next_index, ref.size());
  EXPECT_EQ(log.pending(), 0u);  // a read settles everything
  EXPECT_EQ(memcmp(info.anchor, ref.hash_before(oldest), kSha256Len), 0);
  for (uint32_t i = 0; i < n; ++i) {
    ASSERT_EQ(memcmp(&out[i], &ref.at(oldest + i), sizeof(out[i])), 0)
        << "record " << oldest + i;
  }
  EXPECT_EQ(memcmp(log.head(), ref.head(), kSha256Len), 0);
}

// Deferred hashing gives bit-for-bit the records of immediate hashing, over
// random mixes of decisions, secure records, partial reads, acks, settles
// and head reads, with the ring wrapping (drop-oldest).
TEST(AuditLogDeferral, RandomSequencesMatchImmediateHashing) {
  const uint8_t digest[kSha256Len] = {0xde, 0xad, 0xbe, 0xef};
  for (uint32_t capacity : {1u, 2u, 5u, 31u, 32u, 33u, 100u}) {
    std::mt19937 rng(capacity * 7919u);
    std::vector<tzu_audit_record> storage(capacity);
    AuditLog log;
    log.init(storage.data(), capacity);
    Reference ref;
    uint32_t next_event = 0;
    for (int step = 0; step < 600; ++step) {
      const uint32_t op = static_cast<uint32_t>(rng() % 100u);
      if (op < 60) {
        const uint32_t i = next_event++;
        const tzu_event ev = make_event(i);
        ASSERT_TRUE(log.append(ev, make_decision(i)));
        ref.add(expected_decision(i), &ev);
      } else if (op < 75) {
        const auto e = secure_record(next_event++, digest);
        ASSERT_TRUE(log.append_secure(e));
        ref.add(expected_secure(e), nullptr);
      } else if (op < 85) {
        // A READ_AUDIT drain from a random index, then its ack.
        const uint64_t from = ref.size() ? rng() % ref.size() : 0;
        tzu_audit_record out[4];
        AuditReadInfo info;
        const uint32_t n = log.read(from, out, 4, &info);
        EXPECT_TRUE(AuditLog::verify(info.anchor, out, n));
        for (uint32_t k = 0; k < n; ++k) {
          ASSERT_EQ(memcmp(&out[k], &ref.at(info.first_index + k),
                           sizeof(out[k])), 0);
        }
        log.ack(info.first_index + n);
      } else if (op < 95) {
        log.settle(static_cast<uint32_t>(rng() % 4u));  // the tick's bounded budget
      } else {
        EXPECT_EQ(memcmp(log.head(), ref.head(), kSha256Len), 0);
      }
      const uint32_t limit =
          capacity < AuditLog::kMaxPending ? capacity : AuditLog::kMaxPending;
      ASSERT_LE(log.pending(), limit);
      ASSERT_EQ(log.next_index(), ref.size());
    }
    expect_matches(log, ref, capacity);
  }
}

// The head a report signs covers every record appended before it, even
// with all of them still pending.
TEST(AuditLogDeferral, HeadCoversEveryPendingRecord) {
  Ring ring(64);
  Reference ref;
  for (uint32_t i = 0; i < 20; ++i) {
    const tzu_event ev = make_event(i);
    ring.log().append(ev, make_decision(i));
    ref.add(expected_decision(i), &ev);
  }
  EXPECT_EQ(ring.log().pending(), 20u);  // nothing hashed on the way
  EXPECT_EQ(memcmp(ring.log().head(), ref.head(), kSha256Len), 0);
  EXPECT_EQ(ring.log().pending(), 0u);
  expect_matches(ring.log(), ref, 64);
}

// At most kMaxPending records wait: the next append hashes the oldest one.
TEST(AuditLogDeferral, BacklogIsBounded) {
  Ring ring(100);
  ring.append_n(0, AuditLog::kMaxPending);
  EXPECT_EQ(ring.log().pending(), AuditLog::kMaxPending);
  ring.append_n(AuditLog::kMaxPending, 5);
  EXPECT_EQ(ring.log().pending(), AuditLog::kMaxPending);
  EXPECT_EQ(ring.log().settle(3), 3u);
  EXPECT_EQ(ring.log().pending(), AuditLog::kMaxPending - 3);
}

// Fail-closed counts pending records as occupying the ring: a full ring of
// pending records refuses the next append and changes nothing.
TEST(AuditLogDeferral, FailClosedCountsPendingRecords) {
  Ring ring(8);
  ring.log().set_fail_closed(true);
  Reference ref;
  for (uint32_t i = 0; i < 8; ++i) {
    const tzu_event ev = make_event(i);
    ASSERT_TRUE(ring.log().append(ev, make_decision(i)));
    ref.add(expected_decision(i), &ev);
  }
  EXPECT_EQ(ring.log().pending(), 8u);
  EXPECT_TRUE(ring.log().full());
  EXPECT_FALSE(ring.log().append(make_event(99), make_decision(99)));
  EXPECT_EQ(ring.log().refused(), 1u);
  EXPECT_EQ(ring.log().pending(), 8u);
  EXPECT_EQ(ring.log().next_index(), 8u);
  expect_matches(ring.log(), ref, 8);
  // Drained: room again, and the chain continues from record 7.
  ring.log().ack(8);
  const tzu_event ev = make_event(8);
  ASSERT_TRUE(ring.log().append(ev, make_decision(8)));
  ref.add(expected_decision(8), &ev);
  expect_matches(ring.log(), ref, 8);
}

}  // namespace
}  // namespace ucon
