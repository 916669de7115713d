// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// runtime.h - the secure world's singletons and entry points shared between
// the boot code, the SMC path and the fault handlers (bare metal only).
#ifndef TZUCON_MONITOR_RUNTIME_H
#define TZUCON_MONITOR_RUNTIME_H

#include <stdint.h>

#include "dispatcher.h"
#include "ns_context.h"
#include "spinlock.h"

namespace monitor {

extern Dispatcher g_dispatcher;
// Generated at image build by gen_keys.py (keys.cc): public keys only, plus
// the device secret (device_secret.h).
extern const uint8_t kPolicyPublicKey[32];
extern const uint8_t kAdminPublicKey[32];

// Prints and stops this CPU (interrupts masked, WFI loop). Boot-time only.
[[noreturn]] void panic(const char* what);

// The one lock over the secure world's shared state: the dispatcher and
// engine (attributes, sessions, audit chain, counters), its staging
// buffers, the integrity measurement and the secure clock. Taken by every
// SMC but PSCI and by the measurement FIQ (smc_entry.cc).
extern SpinLock g_secure_lock;

}  // namespace monitor

extern "C" {
void monitor_smc_handler(monitor::NsContext* ctx);
void monitor_fiq_handler(monitor::NsContext* ctx);
uint32_t secure_fault(uint32_t kind, uint32_t pc, uint32_t spsr);
[[noreturn]] void secure_main();
// NS SVC at entry (bit 0: Thumb) with r0-r2 as given (start.S).
[[noreturn]] void enter_normal_world(uint32_t entry, uint32_t r0, uint32_t r1,
                                     uint32_t r2);
[[noreturn]] void park();
extern uint8_t monitor_cpu_area[];
}

#endif  // TZUCON_MONITOR_RUNTIME_H
