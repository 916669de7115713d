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

// The device id of host engines: what policyctl test/explain bind the blobs
// they compile to (policyc::kHostTestDevice).
extern const std::uint8_t kHostDeviceId[TZU_DEVICE_ID_LEN];

class HostEngine {
 public:
  // Allocates the arena for cfg and initialises the engine with the policy
  // public key and this device's id. ok() is false if init failed (status()
  // says why).
  HostEngine(const std::uint8_t policy_pub[32], const std::uint8_t device_id[16],
             const ucon::EngineConfig& cfg = ucon::EngineConfig());
  // Host tools, fuzzers: `seed` is the 32-byte policy signing seed (as given
  // to policyc::compile(text, &seed)); the device is kHostDeviceId.
  HostEngine(const std::uint8_t* seed, std::size_t seed_len,
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

  void init(const std::uint8_t policy_pub[32], const std::uint8_t device_id[16],
            const ucon::EngineConfig& cfg);
};

// Turns trace steps into output lines.
class Replayer {
 public:
  Replayer(ucon::Engine* engine, RuleNames names)
      : engine_(engine), names_(std::move(names)) {}

  // Decision line for an event, result line for a command. The trace stands
  // for every authority: update_attr writes an admin attribute as an
  // authorized UPDATE_ATTR would, and a secure attribute ("set" only) as the
  // secure world's own measurement would; engine attributes are refused
  // ("attribute not writable by an administrator"), as on the board.
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
