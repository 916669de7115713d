// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// state_record_test.cc - the persistent-state record and the A/B choice:
// round trip, newest wins, torn and tampered slots, blank media, bit flips,
// wrong key; and the boot step persist_boot over a RamStateStore.
#include "state_record.h"

#include <gtest/gtest.h>

#include <array>
#include <cstring>

#include "crypto.h"
#include "persist.h"

namespace monitor {
namespace {

using Record = std::array<uint8_t, kRecordSize>;

const uint8_t kSecret[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                             16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
                             28, 29, 30, 31, 32};

struct Key {
  uint8_t k[kStorageKeyLen];
  explicit Key(uint8_t fill = 0) {
    uint8_t s[32];
    std::memcpy(s, kSecret, sizeof(s));
    s[0] ^= fill;
    derive_storage_key(s, k);
  }
};

PersistentState sample(uint64_t boots) {
  PersistentState st;
  st.boot_counter = boots;
  st.admin_counter = 0x1122334455667788ull;
  st.floor_version = 7;
  st.floor_set = 1;
  for (size_t i = 0; i < sizeof(st.floor_digest); ++i)
    st.floor_digest[i] = static_cast<uint8_t>(0xA0 + i);
  return st;
}

Record make(const PersistentState& st, uint64_t seq, const Key& key = Key()) {
  Record r;
  encode(st, seq, key.k, r.data());
  return r;
}

Record blank() {
  Record r;
  r.fill(0xFF);
  return r;
}

void expect_same(const PersistentState& a, const PersistentState& b) {
  EXPECT_EQ(a.boot_counter, b.boot_counter);
  EXPECT_EQ(a.admin_counter, b.admin_counter);
  EXPECT_EQ(a.floor_version, b.floor_version);
  EXPECT_EQ(a.floor_set, b.floor_set);
  EXPECT_EQ(0, std::memcmp(a.floor_digest, b.floor_digest, 32));
}

SlotChoice choose(const Record& a, const Record& b, ucon::Status want) {
  SlotChoice c;
  EXPECT_EQ(want, choose_slot(a.data(), b.data(), kRecordSize, Key().k, &c));
  return c;
}

TEST(StateRecord, RoundTrip) {
  const Record r = make(sample(42), 9);
  PersistentState st;
  uint64_t seq = 0;
  ASSERT_EQ(ucon::Status::kOk,
            decode(r.data(), r.size(), Key().k, &st, &seq));
  EXPECT_EQ(9u, seq);
  expect_same(sample(42), st);
}

TEST(StateRecord, LayoutIsLittleEndianAndFixed) {
  const Record r = make(sample(0x0102), 0x0A0B);
  EXPECT_EQ(0, std::memcmp(r.data(), "TZST", 4));
  EXPECT_EQ(1, r[4]);
  EXPECT_EQ(0x0B, r[8]);
  EXPECT_EQ(0x0A, r[9]);
  EXPECT_EQ(0x02, r[16]);
  EXPECT_EQ(0x01, r[17]);
  for (size_t i = 72; i < kRecordMacOff; ++i) EXPECT_EQ(0, r[i]) << i;
}

TEST(StateRecord, WrongLengthRejected) {
  const Record r = make(sample(1), 1);
  PersistentState st;
  uint64_t seq = 0;
  EXPECT_EQ(ucon::Status::kStorage,
            decode(r.data(), r.size() - 1, Key().k, &st, &seq));
  EXPECT_EQ(ucon::Status::kStorage,
            decode(nullptr, r.size(), Key().k, &st, &seq));
}

TEST(StateRecord, EveryFlippedBitRejected) {
  const Record good = make(sample(5), 3);
  for (size_t bit = 0; bit < kRecordSize * 8; ++bit) {
    Record r = good;
    r[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    PersistentState st = sample(99);
    uint64_t seq = 1234;
    ASSERT_EQ(ucon::Status::kStorage,
              decode(r.data(), r.size(), Key().k, &st, &seq))
        << "bit " << bit;
    EXPECT_EQ(1234u, seq) << "outputs untouched on failure";
  }
}

TEST(StateRecord, WrongKeyRejected) {
  const Record r = make(sample(5), 3, Key(0x80));
  PersistentState st;
  uint64_t seq = 0;
  EXPECT_EQ(ucon::Status::kStorage,
            decode(r.data(), r.size(), Key().k, &st, &seq));
  const Record b = blank();
  EXPECT_EQ(TZU_STORAGE_TAMPERED,
            choose(r, b, ucon::Status::kStorage).storage_state);
}

TEST(StateRecord, KeyDerivationDependsOnSecret) {
  EXPECT_NE(0, std::memcmp(Key().k, Key(1).k, kStorageKeyLen));
  EXPECT_NE(0, std::memcmp(Key().k, kSecret, kStorageKeyLen))
      << "the secret itself is never the MAC key";
}

TEST(StateRecord, BlankIsFresh) {
  EXPECT_TRUE(is_blank(blank().data(), kRecordSize));
  const SlotChoice c = choose(blank(), blank(), ucon::Status::kOk);
  EXPECT_EQ(TZU_STORAGE_FRESH, c.storage_state);
  EXPECT_EQ(-1, c.slot);
  EXPECT_EQ(0u, c.seq);
  expect_same(PersistentState(), c.st);
}

TEST(StateRecord, NewestSequenceWins) {
  const Record old_rec = make(sample(10), 4);
  const Record new_rec = make(sample(11), 5);
  SlotChoice c = choose(old_rec, new_rec, ucon::Status::kOk);
  EXPECT_EQ(TZU_STORAGE_OK, c.storage_state);
  EXPECT_EQ(1, c.slot);
  EXPECT_EQ(5u, c.seq);
  EXPECT_EQ(11u, c.st.boot_counter);
  c = choose(new_rec, old_rec, ucon::Status::kOk);
  EXPECT_EQ(0, c.slot);
  EXPECT_EQ(11u, c.st.boot_counter);
}

TEST(StateRecord, OnlyOneSlotWritten) {
  const SlotChoice c = choose(blank(), make(sample(1), 1), ucon::Status::kOk);
  EXPECT_EQ(TZU_STORAGE_OK, c.storage_state);
  EXPECT_EQ(1, c.slot);
}

TEST(StateRecord, TornWriteKeepsTheOtherSlot) {
  const Record good = make(sample(20), 8);
  // A power cut while programming the next record: its first bytes made
  // it, the rest is still erased.
  Record torn = make(sample(21), 9);
  std::memset(torn.data() + 40, 0xFF, kRecordSize - 40);
  SlotChoice c = choose(torn, good, ucon::Status::kOk);
  EXPECT_EQ(TZU_STORAGE_OK, c.storage_state);
  EXPECT_EQ(1, c.slot);
  EXPECT_EQ(20u, c.st.boot_counter);
  // Garbage (an interrupted erase) in the other slot.
  Record garbage;
  for (size_t i = 0; i < kRecordSize; ++i)
    garbage[i] = static_cast<uint8_t>(i * 37 + 1);
  c = choose(good, garbage, ucon::Status::kOk);
  EXPECT_EQ(0, c.slot);
  EXPECT_EQ(20u, c.st.boot_counter);
}

TEST(StateRecord, NewerTamperedSlotIgnored) {
  Record forged = make(sample(1000), 99);
  forged[16] ^= 1;  // someone edits the boot counter of the newer copy
  const SlotChoice c =
      choose(make(sample(30), 10), forged, ucon::Status::kOk);
  EXPECT_EQ(0, c.slot);
  EXPECT_EQ(30u, c.st.boot_counter);
}

TEST(StateRecord, BothTamperedFailsClosed) {
  Record a = make(sample(1), 1), b = make(sample(2), 2);
  a[kRecordMacOff] ^= 0x40;
  b[0] ^= 0x01;
  const SlotChoice c = choose(a, b, ucon::Status::kStorage);
  EXPECT_EQ(TZU_STORAGE_TAMPERED, c.storage_state);
  EXPECT_EQ(-1, c.slot);
}

TEST(StateRecord, OneTamperedOneBlankFailsClosed) {
  Record a = make(sample(1), 1);
  a[20] ^= 0x10;
  EXPECT_EQ(TZU_STORAGE_TAMPERED,
            choose(a, blank(), ucon::Status::kStorage).storage_state);
  // All-zero flash (QEMU without a -drive) is not blank.
  Record zero{};
  EXPECT_EQ(TZU_STORAGE_TAMPERED,
            choose(zero, zero, ucon::Status::kStorage).storage_state);
}

TEST(StateRecord, ValidRecordWithBadFormatRejected) {
  // A record MAC'd correctly but with fields our decoder refuses (as a
  // future format would be): rejected, not misread.
  Record r = make(sample(1), 1);
  r[36] = 2;  // floor_set
  ucon::hmac_sha256(Key().k, kStorageKeyLen, r.data(), kRecordMacOff,
                    r.data() + kRecordMacOff);
  PersistentState st;
  uint64_t seq = 0;
  EXPECT_EQ(ucon::Status::kStorage,
            decode(r.data(), r.size(), Key().k, &st, &seq));
  r = make(sample(1), 1);
  r[4] = 2;  // format version
  ucon::hmac_sha256(Key().k, kStorageKeyLen, r.data(), kRecordMacOff,
                    r.data() + kRecordMacOff);
  EXPECT_EQ(ucon::Status::kStorage,
            decode(r.data(), r.size(), Key().k, &st, &seq));
}

// ---- persist_boot

TEST(PersistBoot, FreshThenCounts) {
  RamStateStore store;
  PersistentState st;
  uint32_t state = 0;
  ASSERT_EQ(ucon::Status::kOk, persist_boot(&store, &st, &state));
  EXPECT_EQ(TZU_STORAGE_FRESH, state);
  EXPECT_EQ(1u, st.boot_counter);
  EXPECT_EQ(1u, store.saves_);
  EXPECT_EQ(&store, persistent_store());
  EXPECT_EQ(1u, boot_state()->boot_counter);
  ASSERT_EQ(ucon::Status::kOk, persist_boot(&store, &st, &state));
  EXPECT_EQ(TZU_STORAGE_OK, state);
  EXPECT_EQ(2u, st.boot_counter);
  EXPECT_EQ(2u, store.st_.boot_counter);
  EXPECT_EQ(TZU_STORAGE_OK, boot_storage_state());
}

TEST(PersistBoot, TamperedIsNotCountedOrSaved) {
  RamStateStore store;
  store.state_ = TZU_STORAGE_TAMPERED;
  store.st_.boot_counter = 50;
  PersistentState st;
  uint32_t state = 0;
  EXPECT_EQ(ucon::Status::kStorage, persist_boot(&store, &st, &state));
  EXPECT_EQ(TZU_STORAGE_TAMPERED, state);
  EXPECT_EQ(0u, store.saves_);
  EXPECT_EQ(0u, st.boot_counter);
  EXPECT_STREQ("tampered", storage_state_name(boot_storage_state()));
}

TEST(PersistBoot, FailedSaveIsUnavailable) {
  RamStateStore store;
  store.fail_saves_ = true;
  PersistentState st;
  uint32_t state = 0;
  EXPECT_EQ(ucon::Status::kStorage, persist_boot(&store, &st, &state));
  EXPECT_EQ(TZU_STORAGE_UNAVAILABLE, state);
  EXPECT_EQ(0u, boot_state()->boot_counter);
}

TEST(PersistBoot, NoStore) {
  PersistentState st;
  uint32_t state = 0;
  EXPECT_EQ(ucon::Status::kStorage, persist_boot(nullptr, &st, &state));
  EXPECT_EQ(TZU_STORAGE_UNAVAILABLE, state);
  EXPECT_STREQ("unavailable", storage_state_name(state));
}

}  // namespace
}  // namespace monitor
