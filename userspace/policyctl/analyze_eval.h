// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// analyze_eval.h - is an attack step blocked? Its events are decided by the
// real UCON engine (the compiled policy loaded into a host engine, as
// `policyctl test` does), its secure-world commands by the authority the
// secure world demands for them (abi/tzucon_abi.h) against the keys the
// attacker holds. Nothing here re-implements the policy's semantics.
#ifndef POLICYCTL_ANALYZE_EVAL_H
#define POLICYCTL_ANALYZE_EVAL_H

#include <cstdint>
#include <string>
#include <vector>

#include "analyze_model.h"
#include "compiler.h"
#include "engine.h"
#include "event_json.h"

namespace policyctl {

// Why a step is blocked (kNone: it is not).
enum class BlockedBy {
  kNone,
  kRule,        // a rule of the policy denied one of its events
  kDefault,     // the policy default ("deny") denied one of its events
  kAuthority,   // a command needs a key the attacker does not hold, or replays
  kValidation,  // a malformed request: the secure world refuses it
  kEngine,      // an authorized UPDATE_ATTR the engine refuses (writer, type)
};
const char* blocked_by_name(BlockedBy b);

struct EventOutcome {
  Json decision;        // the engine's decision line (as `policyctl test`)
  bool denied = false;  // verdict deny (enforce)
  bool would_deny = false;  // permissive: allowed, flagged TZU_DF_WOULD_DENY
};

struct CommandOutcome {
  bool refused = false;
  std::string reason;  // why it is refused or accepted
};

struct StepVerdict {
  bool blocked = false;
  BlockedBy by = BlockedBy::kNone;
  std::uint32_t rule = 0;  // deciding rule of the blocking event (0 = default)
  int event = -1;          // index of the blocking event
  int command = -1;        // index of the refused command
  std::vector<EventOutcome> events;      // decided in order, up to the denial
  std::vector<CommandOutcome> commands;  // all of them
  std::vector<std::uint32_t> deciding_rules;  // rules deciding its setup and own events
  std::vector<std::uint32_t> hooks;  // event kinds that carry it (sorted, unique)
  std::vector<std::string> notes;    // setup lines the engine did not accept
};

class StepEvaluator {
 public:
  // policy: compiled with host_compile_options(key), or null for no policy
  // (the monitor is off: no event is decided, none denied). mode: TZU_MODE_*
  // forced at run time (as SET_MODE would), or UINT32_MAX for the policy's.
  StepEvaluator(const policyc::CompileResult* policy, const policyc::KeyPair* key,
                std::uint32_t mode);
  // Throws CliError(kExitInvalid) if the engine refuses the compiled policy.
  StepVerdict evaluate(const AttackModel& m, const ModelStep& s) const;

 private:
  void decide_events(const AttackModel& m, const ModelStep& s, StepVerdict* v) const;
  void run_commands(const AttackModel& m, const ModelStep& s, ucon::Engine* engine,
                    StepVerdict* v) const;
  const policyc::CompileResult* policy_;
  const policyc::KeyPair* key_;
  std::uint32_t mode_;
  RuleNames names_;
};

}  // namespace policyctl

#endif  // POLICYCTL_ANALYZE_EVAL_H
