// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// integrity_sink.h - where the kernel-integrity measurement's findings go:
// the engine's secure-written `integrity_state` attribute (so ongoing rules
// re-evaluate and revoke as the policy says), the audit chain, and a bounded
// queue of the revocations made that way, which the kernel collects with its
// next HEARTBEAT (nobody else is waiting for them: a timer tick revokes
// while no call is in progress).
//
// Reentrancy: the engine is not reentrant. These callbacks run either from
// a yielding call (the dispatcher) or from the secure timer's FIQ; the FIQ
// is only taken while the normal world runs (the secure world never
// unmasks F, and SCR.FIQ routes it to Monitor mode with F masked), so on
// one core an engine call from the FIQ path never interrupts another one.
#ifndef TZUCON_MONITOR_INTEGRITY_SINK_H
#define TZUCON_MONITOR_INTEGRITY_SINK_H

#include <stdint.h>

#include "engine.h"
#include "kernel_integrity.h"

namespace monitor {

class Dispatcher;

class IntegritySink final : public integrity::Sink {
 public:
  static constexpr uint32_t kQueue = 64;  // revocations held for HEARTBEAT

  void bind(Dispatcher* d, ucon::Engine* e, integrity::KernelIntegrity* ki) {
    disp_ = d;
    engine_ = e;
    ki_ = ki;
  }
  // Command and client session the next records are attributed to (0, 0
  // for the timer).
  void set_context(uint32_t cmd, uint32_t session) {
    cmd_ = cmd;
    session_ = session;
  }

  void state_changed(uint32_t from, uint32_t to, uint32_t why) override;
  void mismatch(const integrity::Mismatch& m) override;
  void registered(uint32_t kind, uint32_t op, uint32_t va, uint32_t len,
                  ucon::Status s, const uint8_t* digest) override;

  // Moves up to TZU_MAX_REVOKE queued revocations of one reason into rsp
  // (n_revoked, revoke_reason, revoked[], revoked_tgid[], pending).
  void drain(tzu_heartbeat_rsp* rsp);
  // Queues what a secure-world attribute change revoked (bounded: past
  // kQueue entries, and past the ids the engine names, only counted).
  void queue(const ucon::Revocations& rev);
  uint32_t queued() const { return n_; }
  uint64_t overflow() const { return overflow_; }

  // Sets the attribute and records it (also used for a state the monitor
  // decides on its own, see Dispatcher::integrity_degrade).
  void apply_state(uint32_t to);

 private:
  struct Entry {
    uint32_t id;
    uint32_t tgid;
    uint32_t reason;
  };
  void manifest_digest(uint8_t out[32]) const;

  Dispatcher* disp_ = nullptr;
  ucon::Engine* engine_ = nullptr;
  integrity::KernelIntegrity* ki_ = nullptr;
  uint32_t cmd_ = 0;
  uint32_t session_ = 0;
  Entry q_[kQueue] = {};
  uint32_t head_ = 0;
  uint32_t n_ = 0;
  uint64_t overflow_ = 0;  // revocations dropped (queue full, or past n)
};

}  // namespace monitor

#endif  // TZUCON_MONITOR_INTEGRITY_SINK_H
