// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// replay.h - the UCON engine hosted in a user-space process (policyctl test,
// explain, fuzzers): owns the arena, loads a blob, and replays trace steps into
// the JSON lines that `policyctl test` prints.
#ifndef POLICYCTL_REPLAY_H
#define POLICYCTL_REPLAY_H

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine.h"
#include "event_json.h"
#include "trace_reader.h"

namespace policyctl {

class HostEngine {
 public:
  // Allocates the arena for cfg and initialises the engine with the device
  // key. ok() is false if init failed (status() says why).
  HostEngine(const std::uint8_t* key, std::size_t key_len,
             const ucon::EngineConfig& cfg = ucon::EngineConfig());
  HostEngine(const HostEngine&) = delete;
  HostEngine& operator=(const HostEngine&) = delete;

  bool ok() const { return init_status_ == ucon::Status::kOk; }
  ucon::Status status() const { return init_status_; }
  ucon::Engine& engine() { return *engine_; }

  ucon::Status load(const std::vector<std::uint8_t>& blob, ucon::LoadResult* out);

 private:
  std::unique_ptr<std::uint64_t[]> arena_;  // uint64_t: 8-byte aligned
  std::unique_ptr<ucon::Engine> engine_;
  ucon::Status init_status_ = ucon::Status::kInternal;
};

// Turns trace steps into output lines.
class Replayer {
 public:
  Replayer(ucon::Engine* engine, RuleNames names)
      : engine_(engine), names_(std::move(names)) {}

  // Decision line for an event, result line for a command.
  Json step(const TraceStep& s);
  Json decide(const tzu_event& ev, const ucon::Trace* trace = nullptr);
  Json command(const TraceCommand& c);

 private:
  ucon::Engine* engine_;
  RuleNames names_;
};

Json revocations_to_json(const ucon::Revocations& rev);

}  // namespace policyctl

#endif  // POLICYCTL_REPLAY_H
