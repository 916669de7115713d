// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// audit_log.cc - bounded, hash-chained ring of audit records (audit_log.h).
#include "audit_log.h"

#include <stddef.h>
#include <string.h>

#include "crypto.h"

namespace ucon {
namespace {

// The chain hashes the record's in-memory bytes: the ABI fixes them as
// little-endian with no padding, so host and secure world agree.
constexpr size_t kHashedBytes = offsetof(struct tzu_audit_record, hash);
static_assert(kHashedBytes == sizeof(struct tzu_audit_record) - kSha256Len,
              "hash must be the last field of an audit record");
static_assert(sizeof(AuditReadInfo::anchor) == kSha256Len, "anchor size");

}  // namespace

void AuditLog::init(struct tzu_audit_record* storage, uint32_t capacity) {
  ring_ = storage;
  capacity_ = storage != nullptr ? capacity : 0;
  next_ = 0;
  dropped_ = 0;
  acked_ = 0;
  refused_ = 0;
  fail_closed_ = false;
  hashed_ = 0;
  memset(pending_has_ev_, 0, sizeof(pending_has_ev_));
  memset(last_hash_, 0, sizeof(last_hash_));
  memset(anchor_, 0, sizeof(anchor_));
}

void AuditLog::chain_hash(const uint8_t prev[32],
                          const struct tzu_audit_record& r, uint8_t out[32]) {
  Sha256 s;
  s.update(prev, kSha256Len);
  s.update(&r, kHashedBytes);
  s.final(out);
}

bool AuditLog::full() const {
  return fail_closed_ && next_ - acked_ >= capacity_;
}

bool AuditLog::append(const struct tzu_event& ev,
                      const struct tzu_decision& d) {
  struct tzu_audit_record r;
  memset(&r, 0, sizeof(r));
  r.event_seq = ev.seq;  // event_digest: by settle(), from a copy of ev
  r.rule_id = d.rule_id;
  r.verdict = d.verdict;
  r.flags = d.flags;
  r.epoch = d.epoch;
  r.hook = ev.hook;
  r.tgid = ev.subject.tgid;
  r.obligations = d.obligations;
  r.session_id = d.session_id;
  return push(&r, &ev);
}

bool AuditLog::append_secure(const SecureRecord& e) {
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
  return push(&r, nullptr);
}

bool AuditLog::push(struct tzu_audit_record* r, const struct tzu_event* ev) {
  if (full()) {
    ++refused_;  // fail-closed: an undrained record is never overwritten
    return false;
  }
  r->index = next_;
  if (capacity_ == 0) {
    // No storage (init() misuse): the record is hashed and falls off at
    // once, but the chain and the counters stay consistent.
    if (ev != nullptr) sha256(ev, sizeof(*ev), r->event_digest);
    chain_hash(last_hash_, *r, r->hash);
    memcpy(last_hash_, r->hash, sizeof(last_hash_));
    memcpy(anchor_, r->hash, sizeof(anchor_));
    ++dropped_;
    ++hashed_;
    ++next_;
    return true;
  }
  // Fewer than min(capacity, kMaxPending) stay pending: the slot reused
  // below (record next_ - capacity_) is then always hashed already.
  const uint32_t limit = capacity_ < kMaxPending ? capacity_ : kMaxPending;
  if (next_ - hashed_ >= limit) settle(1);
  struct tzu_audit_record* slot = &ring_[next_ % capacity_];
  if (next_ >= capacity_) {
    // The slot holds record next_ - capacity_, the oldest kept one: its
    // hash becomes the anchor the new oldest record chains from. Only
    // drop-oldest mode gets here with that record undrained.
    memcpy(anchor_, slot->hash, sizeof(anchor_));
    if (next_ - capacity_ >= acked_) ++dropped_;
  }
  *slot = *r;
  const uint32_t p = static_cast<uint32_t>(next_ % kMaxPending);
  pending_has_ev_[p] = ev != nullptr;
  if (ev != nullptr) pending_ev_[p] = *ev;
  ++next_;
  return true;
}

uint32_t AuditLog::settle(uint32_t max) const {
  uint32_t n = 0;
  for (; n < max && hashed_ < next_; ++n, ++hashed_) {
    struct tzu_audit_record* r = &ring_[hashed_ % capacity_];
    const uint32_t p = static_cast<uint32_t>(hashed_ % kMaxPending);
    if (pending_has_ev_[p])
      sha256(&pending_ev_[p], sizeof(pending_ev_[p]), r->event_digest);
    chain_hash(last_hash_, *r, r->hash);
    memcpy(last_hash_, r->hash, sizeof(last_hash_));
  }
  return n;
}

const uint8_t* AuditLog::head() const {
  settle(UINT32_MAX);
  return last_hash_;
}

void AuditLog::ack(uint64_t upto) {
  if (upto > next_) upto = next_;
  if (upto > acked_) acked_ = upto;
}

uint32_t AuditLog::read(uint64_t from, struct tzu_audit_record* out,
                        uint32_t max, AuditReadInfo* info) const {
  settle(UINT32_MAX);  // a reader sees only hashed records
  const uint64_t oldest = next_ > capacity_ ? next_ - capacity_ : 0;
  uint64_t start = from < oldest ? oldest : from;
  if (start > next_) start = next_;
  uint64_t avail = next_ - start;
  if (out == nullptr) max = 0;
  const uint32_t n = avail < max ? static_cast<uint32_t>(avail) : max;

  for (uint32_t i = 0; i < n; ++i) out[i] = ring_[(start + i) % capacity_];

  if (info != nullptr) {
    info->next_index = next_;
    info->dropped = dropped_;
    if (n == 0) {
      // Nothing copied: the anchor is what the next append will chain from.
      info->first_index = next_;
      memcpy(info->anchor, last_hash_, sizeof(info->anchor));
    } else {
      info->first_index = start;
      const uint8_t* prev = start == oldest
                                ? anchor_
                                : ring_[(start - 1) % capacity_].hash;
      memcpy(info->anchor, prev, sizeof(info->anchor));
    }
  }
  return n;
}

bool AuditLog::verify(const uint8_t anchor[32],
                      const struct tzu_audit_record* recs, uint32_t n) {
  if (n == 0) return true;
  if (anchor == nullptr || recs == nullptr) return false;
  const uint8_t* prev = anchor;
  uint8_t h[kSha256Len];
  for (uint32_t i = 0; i < n; ++i) {
    if (i > 0 && recs[i].index != recs[i - 1].index + 1) return false;
    chain_hash(prev, recs[i], h);
    if (memcmp(h, recs[i].hash, kSha256Len) != 0) return false;
    prev = recs[i].hash;
  }
  return true;
}

}  // namespace ucon
