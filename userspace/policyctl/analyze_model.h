// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// analyze_model.h - attack models (docs/attack-models.md): the attacker's
// starting capability and keys, goals, and steps carried by hook events or
// secure-world commands. Parsed with the policy compiler's JSON machinery,
// so errors carry line:column and a JSON pointer exactly as for policies.
#ifndef POLICYCTL_ANALYZE_MODEL_H
#define POLICYCTL_ANALYZE_MODEL_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler.h"
#include "event_json.h"
#include "tzucon_abi.h"

namespace policyctl {

// Who may issue a secure-world command (abi/tzucon_abi.h, "Authority").
enum class CmdAuthority {
  kNone,       // a query or an event: anyone who reaches the secure world
  kPolicyKey,  // LOAD_POLICY: a blob signed by the policy key
  kAdminKey,   // [admin]: a tzu_auth signed by the admin key
};

struct CommandInfo {
  std::uint32_t id;   // TZU_CMD_*
  const char* name;   // "set_mode" (also accepted: "SET_MODE", "TZU_CMD_SET_MODE")
  CmdAuthority authority;
};
// nullptr if the name is none of the TZU_CMD_* spellings.
const CommandInfo* command_by_name(const std::string& name);
const char* authority_key(CmdAuthority a);  // "policy", "admin", nullptr

// How a step presents a command's authorization.
enum class AuthForm { kSigned, kForged, kReplayed, kNone };

struct ModelCommand {
  const CommandInfo* info = nullptr;
  AuthForm auth = AuthForm::kSigned;
  bool malformed = false;  // the request itself is malformed
  bool has_attr = false;   // update_attr: the write, checked by the engine
  TraceCommand attr;
  std::string pointer;
};

struct ModelEvent {
  tzu_event event{};
  std::string pointer;
};

// A trace line run on the engine before a step's own events.
struct SetupLine {
  bool is_command = false;
  tzu_event event{};
  TraceCommand command;
  std::string pointer;
};

struct ModelStep {
  std::string id;
  std::string description;
  std::vector<int> needs;     // "requires": capability indices, all needed
  std::vector<int> grants;    // capability indices
  std::vector<ModelEvent> events;
  std::vector<ModelCommand> commands;
  std::vector<SetupLine> setup;
  std::string pointer;
};

struct ModelGoal {
  std::string id;  // also the capability that reaching it grants
  std::string kind;
  std::string description;
  int capability = -1;
  std::string pointer;
};

enum class StartLevel { kUser, kRoot, kKernel };
const char* start_level_name(StartLevel s);

struct AttackModel {
  std::string name;
  std::string description;
  StartLevel start = StartLevel::kUser;
  std::vector<std::string> keys;  // "policy", "admin", "device"
  std::vector<std::string> capabilities;  // index = capability id
  std::vector<std::string> capability_descriptions;
  std::vector<int> start_capabilities;
  std::vector<ModelGoal> goals;
  std::vector<ModelStep> steps;
  std::vector<SetupLine> setup;  // before every step

  bool has_key(const char* key) const;
  int capability(const std::string& name) const;  // -1 if undeclared
};

struct ModelParse {
  bool ok = false;
  std::vector<policyc::Diagnostic> errors;  // in source order
  AttackModel model;
};

// Never throws.
ModelParse parse_attack_model(std::string_view text);

// Goal kinds, start levels, keys (for docs, the schema test and messages).
extern const char* const kGoalKinds[5];

}  // namespace policyctl

#endif  // POLICYCTL_ANALYZE_MODEL_H
