// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// integrity_sink.cc - see integrity_sink.h.
#include "integrity_sink.h"

#include <string.h>

#include "dispatcher.h"

namespace monitor {

using ucon::Status;

namespace {

constexpr char kAttr[] = "integrity_state";

}  // namespace

void IntegritySink::manifest_digest(uint8_t out[32]) const {
  memset(out, 0, 32);
  if (!ki_) return;
  tzu_integrity_status st{};
  ki_->status(&st, nullptr, 0, 0);
  memcpy(out, st.manifest_sha256, 32);
}

void IntegritySink::apply_state(uint32_t to) {
  ucon::Revocations rev;
  const Status s =
      engine_->set_secure_attr(kAttr, sizeof(kAttr) - 1, to, &rev);
  uint8_t digest[32];
  manifest_digest(digest);
  disp_->record(TZU_AUDIT_INTEGRITY, s, cmd_, session_, to, digest);
  if (s == Status::kOk) queue(rev);
}

void IntegritySink::state_changed(uint32_t from, uint32_t to, uint32_t why) {
  // A degradation the normal world caused by what it did not send (or by
  // stopping the timer) gets its own record first, so the chain says why
  // before it says what; a new cause while the state cannot move any more
  // (from == to) gets only that record.
  if (why & (TZU_IS_HEARTBEAT_LOST | TZU_IS_COUNTERS_DISAGREE |
             TZU_IS_DEADLINE_MISSED | TZU_IS_NO_MANIFEST |
             TZU_IS_TIMER_TAMPERED))
    disp_->record(TZU_AUDIT_HEARTBEAT, Status::kOk, cmd_, session_, why,
                  nullptr);
  if (from != to) apply_state(to);
}

void IntegritySink::mismatch(const integrity::Mismatch& m) {
  const uint64_t seq = (uint64_t{m.kind} << 56) | (uint64_t{m.region & 0xFFFFFF} << 32) |
                       m.offset;
  disp_->record(TZU_AUDIT_MISMATCH, Status::kOk, cmd_, session_, seq,
                m.observed);
  disp_->record(TZU_AUDIT_BASELINE, Status::kOk, cmd_, session_, seq,
                m.expected);
}

void IntegritySink::registered(uint32_t kind, uint32_t op, uint32_t va,
                               uint32_t len, Status s, const uint8_t* digest) {
  (void)len;
  // A refusal here is the normal world's doing: Dispatcher::record counts
  // it against the per-boot refusal budget.
  if (kind == TZU_IREG_MODULE)
    disp_->record(TZU_AUDIT_KMODULE, s, cmd_, session_,
                  (uint64_t{op} << 32) | va, digest);
  else
    disp_->record(TZU_AUDIT_KREGISTER, s, cmd_, session_,
                  (uint64_t{kind} << 32) | va, digest);
}

void IntegritySink::queue(const ucon::Revocations& rev) {
  // The engine reports at most TZU_MAX_REVOKE ids of `total`; the rest are
  // revoked in the secure world all the same, only not named to the kernel.
  overflow_ += rev.total > rev.n ? rev.total - rev.n : 0;
  for (uint32_t i = 0; i < rev.n && i < TZU_MAX_REVOKE; ++i) {
    if (n_ == kQueue) {
      ++overflow_;
      continue;
    }
    q_[(head_ + n_) % kQueue] = Entry{rev.ids[i], rev.tgids[i], rev.reason};
    ++n_;
  }
}

void IntegritySink::drain(tzu_heartbeat_rsp* rsp) {
  rsp->n_revoked = 0;
  rsp->revoke_reason = n_ ? q_[head_].reason : 0;
  while (n_ && rsp->n_revoked < TZU_MAX_REVOKE &&
         q_[head_].reason == rsp->revoke_reason) {
    rsp->revoked[rsp->n_revoked] = q_[head_].id;
    rsp->revoked_tgid[rsp->n_revoked] = q_[head_].tgid;
    ++rsp->n_revoked;
    head_ = (head_ + 1) % kQueue;
    --n_;
  }
  rsp->pending = n_;
}

}  // namespace monitor
