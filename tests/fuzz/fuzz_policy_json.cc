// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// fuzz_policy_json.cc - fuzzes the JSON policy compiler. Whatever it
// accepts must also be accepted by the engine (compiler and decoder agree on
// the blob format), and must decide every test event without error.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "compiler.h"
#include "fuzz_events.h"
#include "replay.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const policyc::Key key = fuzz::key();
  policyc::CompileResult r = policyc::compile(text, &key);
  if (r.ok != r.errors.empty()) __builtin_trap();
  if (!r.ok) return 0;
  if (r.blob.empty()) __builtin_trap();

  ucon::EngineConfig cfg = fuzz::config();
  cfg.max_blob_bytes = ucon::kMaxBlobBytes;
  if (r.blob.size() > cfg.max_blob_bytes) return 0;
  policyctl::HostEngine host(key.data(), key.size(), cfg);
  if (!host.ok()) __builtin_trap();
  ucon::LoadResult lr;
  if (host.load(r.blob, &lr) != ucon::Status::kOk) __builtin_trap();
  if (lr.n_rules != r.rules.size()) __builtin_trap();
  for (const tzu_event& ev : fuzz::events()) {
    tzu_decision d;
    if (host.engine().decide(ev, &d) != ucon::Status::kOk) __builtin_trap();
  }
  return 0;
}
