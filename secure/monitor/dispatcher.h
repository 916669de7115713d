// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// dispatcher.h - the secure world's SMC ABI (Arm SMCCC, SMC32, Trusted OS):
// routes function ids, runs the DECIDE fast call from the calling CPU's slot
// and the yielding command calls through secure staging buffers, and hosts
// the UCON engine. Plain C++ (no asm): the same code is unit-tested and
// fuzzed on the host. Not reentrant: the monitor runs it with interrupts
// masked, one CPU at a time. Which request is authority and which an event
// or a query: abi/tzucon_abi.h (commands) and docs/threat-model.md.
#ifndef TZUCON_MONITOR_DISPATCHER_H
#define TZUCON_MONITOR_DISPATCHER_H

#include <stdint.h>

#include "authority.h"
#include "client_sessions.h"
#include "engine.h"
#include "integrity_sink.h"
#include "kernel_integrity.h"
#include "shm_window.h"
#include "status.h"

namespace monitor {

// Caller registers r0..r7 at the SMC.
struct SmcArgs {
  uint32_t r[8];
};

// Result registers r0..r3 (SMCCC SMC32 returns at most four).
struct SmcResult {
  uint32_t r[4];
};

struct DispatcherConfig {
  ucon::Engine* engine = nullptr;  // initialised; the dispatcher owns calls
  ShmWindow window;
  uint32_t nr_slots = TZU_MAX_CPUS;  // per-CPU slots at window offset 0
  // Secure staging buffers (8-byte aligned): every request is copied into
  // req before it is parsed; every response is built in rsp and copied out.
  uint8_t* req = nullptr;
  uint32_t req_cap = 0;
  uint8_t* rsp = nullptr;
  uint32_t rsp_cap = 0;
  // Kernel-integrity measurement (optional: null answers its commands
  // with TZU_E_NOT_FOUND). Initialised by the host with integrity_sink().
  integrity::KernelIntegrity* integrity = nullptr;
  // Secure clock in microseconds since secure boot (null: always 0).
  uint64_t (*now_us)() = nullptr;
  // Keys, nonce, persistent floor and counters (required).
  Authority* authority = nullptr;
  // Optional console notices (the host build leaves them null).
  void (*log_event)(uint32_t kind, uint32_t status, uint64_t arg) = nullptr;
  void (*log_report)(const uint8_t nonce[TZU_NONCE_LEN]) = nullptr;
};

// What the secure world learnt about the boot from the DTB it handed over.
struct BootFacts {
  uint8_t cmdline_sha256[32] = {};
  bool cmdline_weak = false;
};

class Dispatcher {
 public:
  // kBadField if the configuration is unusable (no engine, buffers too small
  // for a fixed-size message, slots outside the window).
  ucon::Status init(const DispatcherConfig& cfg);

  // One SMC from the normal world on CPU `cpu`. Never fails: every problem
  // becomes a status in r0 (TZU_E_* or SMCCC NOT_SUPPORTED).
  SmcResult handle(const SmcArgs& a, uint32_t cpu);

  // Defined error state after a secure fault: the SMCCC queries (UID,
  // revision, count) still answer; every other call, DECIDE and every
  // yielding command, returns TZU_E_INTERNAL without touching the engine.
  void set_failed() { failed_ = true; }
  bool failed() const { return failed_; }

  // Boot facts for stats, reports and records (set once, before Linux).
  void set_boot_facts(const BootFacts& f) { boot_ = f; }
  // Appends a secure-world audit record and tells the console.
  void record(uint32_t kind, ucon::Status status, uint32_t cmd,
              uint32_t session, uint64_t arg, const uint8_t* digest);

  // The sink to give KernelIntegrity::init (valid after init()).
  IntegritySink* integrity_sink() { return &sink_; }
  // The monitor found the measurement itself impaired (TZU_IS_TIMER_TAMPERED:
  // the normal world reprogrammed or silenced the secure timer): the flag is
  // set and the state degraded.
  void integrity_degrade(uint32_t why);
  // A TZU_IS_* flag that only informs (TZU_IS_SMC_FALLBACK).
  void integrity_note(uint32_t flag) { extra_flags_ |= flag; }
  // One measurement tick (secure timer, or the SMC-entry fallback); nothing
  // once the secure world has FAILED.
  void integrity_tick(uint64_t now_us);
  uint32_t integrity_state() const;
  uint32_t integrity_flags() const;
  // DECIDE fast calls that reached the engine (what HEARTBEAT compares the
  // kernel's decisions_sent against).
  uint64_t decisions_served() const { return decides_; }

  uint64_t monitor_errors() const { return errors_; }
  uint64_t auth_failures() const { return auth_failures_; }
  const ClientSessions& clients() const { return clients_; }

 private:
  SmcResult route(const SmcArgs& a, uint32_t cpu);
  void publish_state();
  static uint32_t lease_exchange(void* ctx, uint32_t cpu, uint32_t slot,
                                 uint32_t value);
  // What publish_state() last wrote (a secure copy: the window's can be
  // forged, this one is what is written back on every return).
  tzu_shared_state published_{};
  SmcResult fast_call(uint32_t fid, const SmcArgs& a, uint32_t cpu);
  SmcResult yielding_call(uint32_t cmd, const SmcArgs& a);
  SmcResult decide(uint32_t slot, uint32_t cpu);
  ucon::Status run(uint32_t cmd, uint32_t req_len, uint32_t rsp_cap,
                   uint32_t* rsp_len);

  ucon::Status open_session(uint32_t* rsp_len);
  ucon::Status close_session(uint32_t* rsp_len);
  ucon::Status load_policy(uint32_t req_len, uint32_t* rsp_len);
  ucon::Status set_mode(uint32_t* rsp_len);
  ucon::Status get_stats(uint32_t* rsp_len);
  ucon::Status read_audit(uint32_t rsp_cap, uint32_t* rsp_len);
  ucon::Status update_attr(uint32_t* rsp_len);
  ucon::Status integrity_check(uint32_t rsp_cap, uint32_t* rsp_len);
  ucon::Status integrity_status(uint32_t rsp_cap, uint32_t* rsp_len);
  ucon::Status integrity_register(uint32_t rsp_cap, uint32_t* rsp_len);
  ucon::Status integrity_module(uint32_t* rsp_len);
  ucon::Status heartbeat(uint32_t* rsp_len);
  // Status header + as many regions as fit in rsp_cap.
  uint32_t put_integrity_status(uint32_t rsp_cap);
  // Kernel-only events: a live client session of kind TZU_CLIENT_KERNEL
  // (user clients of /dev/tee0 arrive as session 0). A refusal is counted
  // and audited as `kind` within the refusal budget.
  ucon::Status kernel_session(uint32_t cmd, uint32_t session, uint32_t kind);
  uint64_t now() const { return cfg_.now_us ? cfg_.now_us() : 0; }
  ucon::Status end_usage(uint32_t* rsp_len);
  ucon::Status get_challenge(uint32_t* rsp_len);
  ucon::Status get_report(uint32_t* rsp_len);
  ucon::Status audit_config(uint32_t* rsp_len);
  // Admin authorization of the staged request (auth at auth_off); a
  // refusal is counted and audited here.
  ucon::Status admin(uint32_t cmd, uint32_t auth_off, uint32_t session);
  bool session_ok(uint32_t id) const { return id == 0 || clients_.valid(id); }
  uint32_t sf_flags() const;
  void stats(struct tzu_stats* st) const;

  ucon::Status count(ucon::Status s) {
    if (s != ucon::Status::kOk) ++errors_;
    return s;
  }

  DispatcherConfig cfg_;
  ClientSessions clients_;
  // Refusal records a boot may write before refusals are only counted.
  static constexpr uint32_t kRefusalRecordBudget = 64;

  BootFacts boot_;
  IntegritySink sink_;
  uint64_t decides_ = 0;
  uint32_t extra_flags_ = 0;  // TZU_IS_* the monitor adds (timer, fallback)
  uint32_t refusal_records_ = 0;
  uint64_t unrecorded_ = 0;  // secure events not recorded (budget, full ring)
  uint64_t errors_ = 0;
  uint64_t auth_failures_ = 0;
  bool failed_ = true;  // until init() succeeds
};

}  // namespace monitor

#endif  // TZUCON_MONITOR_DISPATCHER_H
