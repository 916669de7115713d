// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// persist.h - the boot step of the persistent state (load, count the boot,
// save, before the normal world runs) and the accessors through which the
// rest of the secure world reaches that state and its store.
#ifndef TZUCON_MONITOR_PERSIST_H
#define TZUCON_MONITOR_PERSIST_H

#include <stdint.h>

#include "state_store.h"
#include "status.h"

namespace monitor {

// Loads the state, increments boot_counter and saves it. *storage_state:
// TZU_STORAGE_OK or _FRESH on success (kOk; *out = the state now stored),
// else _TAMPERED or _UNAVAILABLE (kStorage; *out is a default state and
// must not be trusted - the caller fails closed). The store and the
// outcome are remembered for the accessors below.
ucon::Status persist_boot(StateStore* store, PersistentState* out,
                          uint32_t* storage_state);

// The store given to persist_boot (nullptr before it ran). Save through it
// after changing *boot_state().
StateStore* persistent_store();
// The state in force: as loaded and counted at boot, then as updated by
// its users (rollback floor, admin counter).
PersistentState* boot_state();
// TZU_STORAGE_* from persist_boot (TZU_STORAGE_UNAVAILABLE before it ran).
uint32_t boot_storage_state();

// "ok", "fresh", "tampered", "unavailable" (or "unknown").
const char* storage_state_name(uint32_t storage_state);

}  // namespace monitor

#endif  // TZUCON_MONITOR_PERSIST_H
