// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// fuzz_smc_request.cc - libFuzzer target for the SMC ABI as the normal world
// drives it. Input: 6 little-endian u32 (r0..r4 and the calling CPU), then
// bytes that land both in the CPU slots and at the command area of the
// window. A policy is loaded first so DECIDE reaches rule evaluation.
// Invariants: no crash/UB (run under ASan/UBSan), r0 is a known status, a
// reply length fits the response capacity, no write outside the response
// buffer or the caller's decision slot.
#include <cstdint>
#include <cstdlib>
#include <algorithm>
#include <cstring>
#include <vector>

#include "dispatcher.h"
#include "engine.h"
#include "memmap.h"
#include "test_policy.h"
#include "test_util.h"

namespace {

struct World {
  std::vector<std::uint64_t> arena;
  ucon::Engine engine;
  std::vector<std::uint8_t> window = std::vector<std::uint8_t>(PLAT_SHM_SIZE);
  std::vector<std::uint64_t> req = std::vector<std::uint64_t>(9000);
  std::vector<std::uint64_t> rsp = std::vector<std::uint64_t>(1024);
  monitor::Dispatcher disp;
  std::vector<std::uint8_t> policy;

  void reset() {
    ucon::EngineConfig cfg;
    cfg.max_blob_bytes = 64u << 10;
    if (arena.empty()) arena.resize(ucon::Engine::arena_bytes(cfg) / 8 + 1);
    if (policy.empty())
      policy = monitor_test::test_policy(2, ucon_test::kTestKey);
    engine.init(arena.data(), arena.size() * 8, cfg, ucon_test::kTestKey.data(),
                ucon_test::kTestKey.size());
    ucon::LoadResult lr;
    if (engine.load_policy(policy.data(), policy.size(), &lr) !=
        ucon::Status::kOk)
      std::abort();
    std::memset(window.data(), 0, window.size());
    monitor::DispatcherConfig d;
    d.engine = &engine;
    d.window = monitor::ShmWindow(window.data(), PLAT_SHM_SIZE);
    d.req = reinterpret_cast<std::uint8_t*>(req.data());
    d.req_cap = static_cast<std::uint32_t>(req.size() * 8);
    d.rsp = reinterpret_cast<std::uint8_t*>(rsp.data());
    d.rsp_cap = static_cast<std::uint32_t>(rsp.size() * 8);
    d.ns_ram_base = PLAT_DDR_BASE;
    d.ns_ram_size = PLAT_DDR_SIZE;
    d.secure_base = PLAT_SECURE_BASE;
    d.secure_size = PLAT_SECURE_SIZE;
    if (disp.init(d) != ucon::Status::kOk) std::abort();
  }
};

bool known_status(std::uint32_t s) {
  return s <= TZU_E_INTERNAL || s == TZU_E_NOT_SUPPORTED ||
         s == TZU_UID_0 || s == TZU_REVISION_MAJOR || s == TZU_CMD_COUNT - 1;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  static World* w = new World;
  w->reset();
  monitor::SmcArgs a{};
  std::uint32_t cpu = 0;
  if (size >= 24) {
    std::memcpy(a.r, data, 20);
    std::memcpy(&cpu, data + 20, 4);
    cpu &= 3;
    data += 24;
    size -= 24;
  }
  const std::size_t slots = std::min<std::size_t>(size, TZU_SHM_CMD_OFFSET);
  std::memcpy(w->window.data(), data, slots);
  const std::size_t cmd =
      std::min<std::size_t>(size, PLAT_SHM_SIZE - TZU_SHM_CMD_OFFSET);
  std::memcpy(w->window.data() + TZU_SHM_CMD_OFFSET, data, cmd);
  const std::vector<std::uint8_t> before = w->window;

  const monitor::SmcResult r = w->disp.handle(a, cpu);
  if (!known_status(r.r[0])) std::abort();

  // Only the response buffer or the caller's decision may have changed.
  const bool fast = a.r[0] >> 31;
  std::size_t lo = 0, hi = 0;
  if (fast) {
    lo = cpu * TZU_SLOT_SIZE + TZU_SLOT_DECISION_OFFSET;
    hi = lo + sizeof(tzu_decision);
  } else {
    lo = a.r[3];
    hi = lo + r.r[1];
    if (r.r[0] != TZU_E_NOT_SUPPORTED && r.r[1] > a.r[4]) std::abort();
  }
  lo = std::min(lo, before.size());
  hi = std::min(std::max(hi, lo), before.size());
  if (std::memcmp(before.data(), w->window.data(), lo) != 0 ||
      std::memcmp(before.data() + hi, w->window.data() + hi,
                  before.size() - hi) != 0)
    std::abort();
  return 0;
}
