// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// persist.cc - boot-time load/count/save of the persistent state.
#include "persist.h"

namespace monitor {
namespace {

StateStore* g_store = nullptr;
PersistentState g_state;
uint32_t g_storage_state = TZU_STORAGE_UNAVAILABLE;

}  // namespace

ucon::Status persist_boot(StateStore* store, PersistentState* out,
                          uint32_t* storage_state) {
  g_store = store;
  g_state = PersistentState();
  PersistentState st;
  uint32_t state = TZU_STORAGE_UNAVAILABLE;
  ucon::Status s = store ? store->load(&st, &state) : ucon::Status::kStorage;
  if (s == ucon::Status::kOk) {
    // Counted before the normal world runs: a boot that cannot be
    // recorded is not a boot the secure world vouches for.
    ++st.boot_counter;
    s = store->save(st);
    if (s != ucon::Status::kOk) state = TZU_STORAGE_UNAVAILABLE;
  }
  if (s != ucon::Status::kOk) st = PersistentState();
  g_state = st;
  g_storage_state = state;
  *out = st;
  *storage_state = state;
  return s;
}

StateStore* persistent_store() { return g_store; }
PersistentState* boot_state() { return &g_state; }
uint32_t boot_storage_state() { return g_storage_state; }

const char* storage_state_name(uint32_t storage_state) {
  switch (storage_state) {
    case TZU_STORAGE_OK:
      return "ok";
    case TZU_STORAGE_FRESH:
      return "fresh";
    case TZU_STORAGE_TAMPERED:
      return "tampered";
    case TZU_STORAGE_UNAVAILABLE:
      return "unavailable";
    default:
      return "unknown";
  }
}

}  // namespace monitor
