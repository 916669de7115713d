// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// psci.h - PSCI 1.1 (Arm DEN0022) for the normal world, SMC32 calls of the
// SMCCC standard secure service range: power state of each CPU as a small
// state machine (OFF -> ON_PENDING -> ON -> OFF), every transition named and
// taken under one lock, the board behind a table of hooks (psci_platform.cc
// on the ZC702; tests give their own). Plain C++: unit-tested on the host.
//
// Trusted OS: uniprocessor, not migratable, resident on CPU0 (the secure
// measurement timer's FIQ is routed there), so MIGRATE_INFO_TYPE = 1 and
// CPU_OFF on CPU0 is DENIED; Linux then never offlines CPU0.
#ifndef TZUCON_MONITOR_PSCI_H
#define TZUCON_MONITOR_PSCI_H

#include <stdint.h>

#include "dispatcher.h"

namespace psci {

// Function ids (SMC32).
constexpr uint32_t kFnVersion = 0x84000000u;
constexpr uint32_t kFnCpuSuspend = 0x84000001u;
constexpr uint32_t kFnCpuOff = 0x84000002u;
constexpr uint32_t kFnCpuOn = 0x84000003u;
constexpr uint32_t kFnAffinityInfo = 0x84000004u;
constexpr uint32_t kFnMigrate = 0x84000005u;
constexpr uint32_t kFnMigrateInfoType = 0x84000006u;
constexpr uint32_t kFnMigrateInfoUpCpu = 0x84000007u;
constexpr uint32_t kFnSystemOff = 0x84000008u;
constexpr uint32_t kFnSystemReset = 0x84000009u;
constexpr uint32_t kFnFeatures = 0x8400000Au;

constexpr uint32_t kVersion11 = 0x00010001u;  // major 1, minor 1

// Return codes (signed, in r0).
constexpr int32_t kSuccess = 0;
constexpr int32_t kNotSupported = -1;
constexpr int32_t kInvalidParameters = -2;
constexpr int32_t kDenied = -3;
constexpr int32_t kAlreadyOn = -4;
constexpr int32_t kOnPending = -5;
constexpr int32_t kInternalFailure = -6;
constexpr int32_t kInvalidAddress = -9;

// AFFINITY_INFO results.
constexpr uint32_t kAffinityOn = 0;
constexpr uint32_t kAffinityOff = 1;
constexpr uint32_t kAffinityOnPending = 2;

// MIGRATE_INFO_TYPE: uniprocessor Trusted OS, not migrate capable.
constexpr uint32_t kTosUpNotMigratable = 1;

// A standard secure service SMC32 fast call (owner 4): what PSCI owns.
constexpr bool is_psci_fid(uint32_t fid) {
  return (fid & 0xFFFFFFE0u) == 0x84000000u;
}

enum class CpuState : uint32_t {
  kAbsent,     // never reached the secure world's wait loop
  kOff,        // waiting in the secure world for CPU_ON
  kPending,    // ON_PENDING: CPU_ON accepted, not yet in the normal world
  kOn,         // running the normal world
};
const char* state_name(CpuState s);

constexpr uint32_t kMaxCpus = 2;

// The board: how a CPU is started and stopped, which memory an entry point
// may lie in. start_cpu runs under the PSCI lock, the others without it.
struct Platform {
  void (*lock)();
  void (*unlock)();
  // Normal-world memory a CPU may be started at (physical address).
  bool (*entry_ok)(uint32_t pa);
  // Releases `cpu` (kPending) to enter the normal world at entry with
  // r0 = context_id; it calls Psci::on_finished() there.
  void (*start_cpu)(uint32_t cpu, uint32_t entry, uint32_t context_id);
  // The calling CPU, now kOff, waits in the secure world (returns only in
  // tests).
  void (*park_self)(uint32_t cpu);
  // Record the secure world's state, stop the other CPUs, then reset or
  // halt the system (return only in tests).
  void (*system_reset)(uint32_t cpu);
  void (*system_off)(uint32_t cpu);
};

class Psci {
 public:
  // boot_cpu is kOn, the others kAbsent until they arrive.
  void init(const Platform& p, uint32_t nr_cpus, uint32_t boot_cpu);

  // One PSCI call from the normal world on `cpu`. CPU_OFF (if allowed),
  // SYSTEM_OFF and SYSTEM_RESET do not return on the board.
  monitor::SmcResult handle(const monitor::SmcArgs& a, uint32_t cpu);

  // Transitions a secondary CPU takes on itself (psci_platform.cc).
  // kAbsent -> kOff: it waits in the secure world.
  void arrived(uint32_t cpu);
  // kPending -> kOn, with the entry it must take; false if no CPU_ON is
  // pending for it (it then stays parked).
  bool on_finished(uint32_t cpu);
  // Any state -> kOff: the CPU was stopped for a system reset or power-off.
  void stopped(uint32_t cpu);

  CpuState state(uint32_t cpu) const;
  uint32_t tos_cpu() const { return 0; }

 private:
  int32_t cpu_on(uint32_t target, uint32_t entry, uint32_t context_id,
                 uint32_t caller);
  int32_t cpu_off(uint32_t cpu);
  int32_t affinity_info(uint32_t target, uint32_t level) const;
  int32_t features(uint32_t fid) const;
  // MPIDR affinity -> CPU number; kMaxCpus if it names no CPU of ours.
  uint32_t cpu_of(uint32_t mpidr) const;
  void set(uint32_t cpu, CpuState s) { state_[cpu] = s; }

  Platform plat_{};
  uint32_t nr_cpus_ = 1;
  volatile CpuState state_[kMaxCpus] = {};
};

}  // namespace psci

#endif  // TZUCON_MONITOR_PSCI_H
