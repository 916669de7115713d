// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// psci.cc - the PSCI front end and per-CPU state machine (psci.h). Every
// argument the normal world passes is checked before any state changes:
// the target MPIDR (our two CPUs only), the entry point (the board's
// normal-world memory, A32 word- or T32 halfword-aligned), the affinity
// level (0 only, PSCI 1.0+).
#include "psci.h"

namespace psci {
namespace {

monitor::SmcResult ret(int32_t r0) {
  return monitor::SmcResult{{static_cast<uint32_t>(r0), 0, 0, 0}};
}

}  // namespace

const char* state_name(CpuState s) {
  switch (s) {
    case CpuState::kAbsent: return "absent";
    case CpuState::kOff: return "off";
    case CpuState::kPending: return "on-pending";
    case CpuState::kOn: return "on";
  }
  return "?";
}

void Psci::init(const Platform& p, uint32_t nr_cpus, uint32_t boot_cpu) {
  plat_ = p;
  nr_cpus_ = nr_cpus < kMaxCpus ? nr_cpus : kMaxCpus;
  for (uint32_t i = 0; i < kMaxCpus; ++i) set(i, CpuState::kAbsent);
  set(boot_cpu, CpuState::kOn);
}

CpuState Psci::state(uint32_t cpu) const {
  return cpu < kMaxCpus ? state_[cpu] : CpuState::kAbsent;
}

// MPIDR affinity fields as Linux passes them (bits 23:0): Aff0 = CPU, the
// cluster (Aff1) and Aff2 zero. The MPIDR's own bit 31 (and U, bit 30) are
// not affinity and are refused here, like any other stray bit.
uint32_t Psci::cpu_of(uint32_t mpidr) const {
  if (mpidr >= nr_cpus_) return kMaxCpus;
  return mpidr;
}

monitor::SmcResult Psci::handle(const monitor::SmcArgs& a, uint32_t cpu) {
  switch (a.r[0]) {
    case kFnVersion:
      return ret(static_cast<int32_t>(kVersion11));
    case kFnFeatures:
      return ret(features(a.r[1]));
    case kFnCpuOn:
      return ret(cpu_on(a.r[1], a.r[2], a.r[3], cpu));
    case kFnCpuOff:
      return ret(cpu_off(cpu));
    case kFnAffinityInfo:
      return ret(affinity_info(a.r[1], a.r[2]));
    case kFnMigrateInfoType:
      return ret(static_cast<int32_t>(kTosUpNotMigratable));
    case kFnMigrateInfoUpCpu:
      return ret(static_cast<int32_t>(tos_cpu()));
    case kFnSystemOff:
      plat_.system_off(cpu);
      return ret(kInternalFailure);  // only if the board could not halt
    case kFnSystemReset:
      plat_.system_reset(cpu);
      return ret(kInternalFailure);
    default:  // CPU_SUSPEND, MIGRATE, the optional 1.x calls, SMC64
      return ret(kNotSupported);
  }
}

int32_t Psci::features(uint32_t fid) const {
  switch (fid) {
    case kFnVersion:
    case kFnFeatures:
    case kFnCpuOn:
    case kFnCpuOff:
    case kFnAffinityInfo:
    case kFnMigrateInfoType:
    case kFnMigrateInfoUpCpu:
    case kFnSystemOff:
    case kFnSystemReset:
      return kSuccess;  // implemented, no feature flags
    default:
      return kNotSupported;
  }
}

int32_t Psci::cpu_on(uint32_t target, uint32_t entry, uint32_t context_id,
                     uint32_t caller) {
  (void)caller;
  const uint32_t cpu = cpu_of(target);
  if (cpu >= kMaxCpus) return kInvalidParameters;
  // Bit 0 selects T32; an A32 entry must be word aligned.
  if ((entry & 3u) == 2u || !plat_.entry_ok(entry & ~1u))
    return kInvalidAddress;
  plat_.lock();
  const CpuState s = state_[cpu];
  int32_t r = kSuccess;
  if (s == CpuState::kOn)
    r = kAlreadyOn;
  else if (s == CpuState::kPending)
    r = kOnPending;
  else if (s == CpuState::kAbsent)
    r = kInternalFailure;  // never reached our wait loop: cannot start it
  else {
    // The entry is in the mailbox before the state says kOnPending: a CPU
    // parked by CPU_OFF starts on seeing that state.
    plat_.start_cpu(cpu, entry, context_id);
    set(cpu, CpuState::kPending);
  }
  plat_.unlock();
  return r;
}

int32_t Psci::cpu_off(uint32_t cpu) {
  if (cpu == tos_cpu()) return kDenied;  // the Trusted OS stays here
  plat_.lock();
  set(cpu, CpuState::kOff);
  plat_.unlock();
  plat_.park_self(cpu);
  return kDenied;  // tests only: the board's park does not return
}

int32_t Psci::affinity_info(uint32_t target, uint32_t level) const {
  const uint32_t cpu = cpu_of(target);
  if (cpu >= kMaxCpus || level != 0) return kInvalidParameters;
  switch (state_[cpu]) {
    case CpuState::kOn: return static_cast<int32_t>(kAffinityOn);
    case CpuState::kPending: return static_cast<int32_t>(kAffinityOnPending);
    default: return static_cast<int32_t>(kAffinityOff);
  }
}

void Psci::arrived(uint32_t cpu) {
  if (cpu >= nr_cpus_) return;
  plat_.lock();
  if (state_[cpu] == CpuState::kAbsent) set(cpu, CpuState::kOff);
  plat_.unlock();
}

bool Psci::on_finished(uint32_t cpu) {
  if (cpu >= nr_cpus_) return false;
  plat_.lock();
  const bool ok = state_[cpu] == CpuState::kPending;
  if (ok) set(cpu, CpuState::kOn);
  plat_.unlock();
  return ok;
}

void Psci::stopped(uint32_t cpu) {
  if (cpu >= nr_cpus_) return;
  plat_.lock();
  set(cpu, CpuState::kOff);
  plat_.unlock();
}

}  // namespace psci
