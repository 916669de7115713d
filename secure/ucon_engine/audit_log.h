// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// audit_log.h - bounded ring of audit records forming a SHA-256 hash chain:
//   record.hash = SHA256(prev.hash || record bytes before the hash field)
// with prev.hash of the first record ever = 32 zero bytes. When the ring is
// full the oldest record falls off; dropped() counts them, and the hash of the
// newest fallen record stays as the anchor that the oldest kept record chains
// from, so any read-out can still be verified.
//
// The hashing is deferred off the decision path: an append stores the
// record's fields (and a copy of the decided event) in secure memory, and the
// event digest and chain hash of these pending records are computed in order
// by settle() - by every observer of the chain (read, head) before it looks,
// by an append that finds kMaxPending records pending, and by the secure tick
// with a small budget. What any reader sees is bit-for-bit what immediate
// hashing gives; pending records occupy the ring for fail-closed accounting.
#ifndef UCON_ENGINE_AUDIT_LOG_H
#define UCON_ENGINE_AUDIT_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "tzucon_abi.h"

namespace ucon {

struct AuditReadInfo {
  uint64_t first_index;  // index of out[0] (or next_index if none)
  uint64_t next_index;   // index the next append will get
  uint64_t dropped;      // records that fell off the ring so far
  uint8_t anchor[32];    // hash preceding out[0]
};

class AuditLog {
 public:
  // storage must hold capacity records (capacity >= 1); not owned.
  void init(struct tzu_audit_record* storage, uint32_t capacity);

  // Appends a record for this decision. False only in fail-closed mode with
  // the ring full of undrained records (nothing is written then).
  bool append(const struct tzu_event& ev, const struct tzu_decision& d);

  // A secure-world event (TZU_AUDIT_* kind; field use in abi/tzucon_abi.h).
  struct SecureRecord {
    uint32_t kind = 0;
    uint32_t status = 0;   // TZU_OK or TZU_E_*
    uint32_t command = 0;  // TZU_CMD_* concerned
    uint32_t session = 0;
    uint32_t flags = 0;    // TZU_SF_*
    uint32_t epoch = 0;
    uint64_t arg = 0;
    const uint8_t* digest = nullptr;  // 32 bytes or null (zeros)
  };
  bool append_secure(const SecureRecord& r);

  // Records below `upto` have been drained by a reader (READ_AUDIT ack).
  void ack(uint64_t upto);
  void set_fail_closed(bool on) { fail_closed_ = on; }
  bool fail_closed() const { return fail_closed_; }
  // Fail-closed and no room without overwriting an undrained record.
  bool full() const;
  uint64_t refused() const { return refused_; }
  uint64_t acked() const { return acked_; }
  // Hash of record next_index()-1 (zeros before the first record); settles
  // every pending record first, so it covers every record appended so far.
  const uint8_t* head() const;

  // Hashes up to max pending records, oldest first; returns how many.
  uint32_t settle(uint32_t max) const;
  uint64_t pending() const { return next_ - hashed_; }
  // Records that may be pending at once (each holds a copy of its event).
  static constexpr uint32_t kMaxPending = 32;

  // Copies up to max records with index >= from, oldest first. If `from` fell
  // off already, starts at the oldest kept record. Returns the count.
  uint32_t read(uint64_t from, struct tzu_audit_record* out, uint32_t max,
                AuditReadInfo* info) const;

  uint64_t next_index() const { return next_; }
  uint64_t dropped() const { return dropped_; }
  uint32_t capacity() const { return capacity_; }

  // Recomputes a record's hash from its fields and prev_hash.
  static void chain_hash(const uint8_t prev[32],
                         const struct tzu_audit_record& r, uint8_t out[32]);
  // True if recs[0..n) chain from anchor and every hash matches and the
  // indices are consecutive.
  static bool verify(const uint8_t anchor[32],
                     const struct tzu_audit_record* recs, uint32_t n);

 private:
  bool push(struct tzu_audit_record* r, const struct tzu_event* ev);

  struct tzu_audit_record* ring_ = nullptr;
  uint32_t capacity_ = 0;
  uint64_t next_ = 0;        // index of the next record
  uint64_t dropped_ = 0;
  uint64_t acked_ = 0;       // records below this index were drained
  uint64_t refused_ = 0;     // fail-closed refusals
  bool fail_closed_ = false;
  uint8_t anchor_[32] = {};       // hash of the newest fallen-off record
  // The lazily computed chain: mutable so that const observers (read, head)
  // settle it first. Records [hashed_, next_) are pending: fields in their
  // ring slot, event digest and hash not yet computed.
  mutable uint64_t hashed_ = 0;
  mutable uint8_t last_hash_[32] = {};  // hash of record hashed_-1
  // Event of pending record i at i % kMaxPending, if it has one.
  mutable struct tzu_event pending_ev_[kMaxPending];
  mutable bool pending_has_ev_[kMaxPending] = {};
};

}  // namespace ucon

#endif  // UCON_ENGINE_AUDIT_LOG_H
