// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// analyze_model_test.cc - attack model parsing: what a valid model holds,
// and malformed models reported at line:column and JSON pointer in the
// policy compiler's format.
#include <gtest/gtest.h>

#include "analyze_model.h"

namespace policyctl_test {
namespace {

using policyctl::parse_attack_model;

// The first error as "LINE:COL: error: MESSAGE (at POINTER)".
std::string first_error(const std::string& text) {
  policyctl::ModelParse p = parse_attack_model(text);
  EXPECT_FALSE(p.ok);
  return p.errors.empty() ? "(no error)" : p.errors[0].to_string();
}

const char kGood[] = R"({
  "model": "good",
  "description": "a root attacker with the admin key",
  "attacker": {"start": "root", "keys": ["admin"], "subject": {"uid": 0, "euid": 0},
               "capabilities": ["tee"]},
  "capabilities": {"tee": "can open /dev/tee0", "shell": "runs shellcode"},
  "setup": [{"op": "update_attr", "name": "integrity_state", "value": 1}],
  "goals": [{"id": "off", "kind": "monitor_disabled"}],
  "steps": [
    {"id": "wx", "requires": ["user"], "grants": ["shell"],
     "events": [{"hook": "mmap_file", "subject": {"uid": 1000}, "object": {"prot": 6}}]},
    {"id": "mode", "requires": ["root", "tee"], "grants": ["off"],
     "commands": [{"command": "TZU_CMD_SET_MODE"}]}
  ]
})";

TEST(AttackModelParse, ValidModel) {
  policyctl::ModelParse p = parse_attack_model(kGood);
  ASSERT_TRUE(p.ok) << p.errors[0].to_string();
  const policyctl::AttackModel& m = p.model;
  EXPECT_EQ(m.name, "good");
  EXPECT_EQ(m.start, policyctl::StartLevel::kRoot);
  EXPECT_TRUE(m.has_key("admin"));
  EXPECT_FALSE(m.has_key("policy"));
  // user and root (levels up to the start) and the extra "tee".
  std::vector<int> start = {m.capability("user"), m.capability("root"), m.capability("tee")};
  EXPECT_EQ(m.start_capabilities, start);
  ASSERT_EQ(m.steps.size(), 2u);
  const auto& ev = m.steps[0].events.at(0).event;
  EXPECT_EQ(ev.hook, TZU_HOOK_MMAP_FILE);
  EXPECT_EQ(ev.subject.uid, 1000u);  // the step's own value wins
  EXPECT_EQ(ev.subject.euid, 0u);    // the attacker's default fills the rest
  EXPECT_EQ(ev.object.prot, 6u);
  EXPECT_EQ(m.steps[0].events[0].pointer, "/steps/0/events/0");
  ASSERT_EQ(m.steps[1].commands.size(), 1u);
  EXPECT_EQ(m.steps[1].commands[0].info->id, TZU_CMD_SET_MODE);
  EXPECT_EQ(m.steps[1].commands[0].info->authority, policyctl::CmdAuthority::kAdminKey);
  ASSERT_EQ(m.setup.size(), 1u);
  EXPECT_TRUE(m.setup[0].is_command);
  EXPECT_EQ(m.goals.at(0).capability, m.capability("off"));
}

TEST(AttackModelParse, SyntaxErrorAtTheCharacter) {
  EXPECT_EQ(first_error("{\n  \"model\": \"x\",\n  \"steps\": [,]\n}"),
            "3:13: error: syntax error while parsing value: unexpected ','; expected '[', '{', "
            "or a literal (at /steps)");
}

TEST(AttackModelParse, UnknownFieldAtItsKey) {
  EXPECT_EQ(first_error(R"({"model": "x", "description": "d",
 "attacker": {"start": "user"}, "goals": [{"id": "g", "kind": "key_misuse"}],
 "steps": [{"id": "s", "requires": [], "grants": ["g"],
            "colour": 1}]})"),
            "4:13: error: unknown field \"colour\" in step (at /steps/0/colour)");
}

TEST(AttackModelParse, UndeclaredCapability) {
  EXPECT_EQ(first_error(R"({"model": "x", "description": "d",
 "attacker": {"start": "user"}, "goals": [{"id": "g", "kind": "key_misuse"}],
 "steps": [{"id": "s", "requires": ["user", "rooot"], "grants": ["g"]}]})"),
            "3:45: error: undeclared capability \"rooot\" (declare it under \"capabilities\" "
            "or as a goal id) (at /steps/0/requires/1)");
}

TEST(AttackModelParse, BadEventFieldAtTheValue) {
  EXPECT_EQ(first_error(R"({"model": "x", "description": "d",
 "attacker": {"start": "user"}, "goals": [{"id": "g", "kind": "kernel_code"}],
 "steps": [{"id": "s", "requires": [], "grants": ["g"],
   "events": [{"hook": "kernel_read_file", "object": {"kind": "module"}}]}]})"),
            "4:63: error: invalid object.kind: expected a non-negative integer "
            "(at /steps/0/events/0/object/kind)");
}

TEST(AttackModelParse, UnknownEventKeyAndHook) {
  policyctl::ModelParse p = parse_attack_model(R"({"model": "x", "description": "d",
 "attacker": {"start": "user"}, "goals": [{"id": "g", "kind": "kernel_code"}],
 "steps": [{"id": "s", "requires": [], "grants": ["g"],
   "events": [{"hook": "mmap_file", "object": {"colour": 1}},
              {"hook": "insmod"}]}]})");
  ASSERT_EQ(p.errors.size(), 2u);
  EXPECT_EQ(p.errors[0].to_string(),
            "4:48: error: invalid object: unknown key \"colour\" "
            "(at /steps/0/events/0/object/colour)");
  EXPECT_EQ(p.errors[1].to_string(),
            "5:24: error: invalid hook: unknown hook \"insmod\" (at /steps/0/events/1/hook)");
}

TEST(AttackModelParse, CommandErrors) {
  policyctl::ModelParse p = parse_attack_model(R"({"model": "x", "description": "d",
 "attacker": {"start": "kernel", "keys": ["admin", "admin"]},
 "goals": [{"id": "g", "kind": "monitor_disabled"}],
 "steps": [{"id": "s", "requires": [], "grants": ["g"],
   "commands": [{"command": "reboot"},
                {"command": "get_stats", "authorization": "forged"}]}]})");
  ASSERT_EQ(p.errors.size(), 3u);
  EXPECT_EQ(p.errors[0].to_string(),
            "2:52: error: key \"admin\" listed twice (at /attacker/keys/1)");
  EXPECT_EQ(p.errors[1].to_string(),
            "5:29: error: unknown secure-world command \"reboot\" (a TZU_CMD_* of "
            "abi/tzucon_abi.h) (at /steps/0/commands/0/command)");
  EXPECT_EQ(p.errors[2].to_string(),
            "6:59: error: command \"get_stats\" takes no authorization "
            "(at /steps/0/commands/1/authorization)");
}

TEST(AttackModelParse, DuplicatesAndMissingMembers) {
  policyctl::ModelParse p = parse_attack_model(R"({"model": "x", "description": "d",
 "attacker": {"start": "superuser"}, "goals": [{"id": "g", "kind": "kernel_code"}],
 "steps": [{"id": "s", "requires": [], "grants": ["g"]},
           {"id": "s", "requires": [], "grants": ["g"]},
           {"requires": []}]})");
  ASSERT_EQ(p.errors.size(), 4u);
  EXPECT_EQ(p.errors[0].to_string(),
            "2:24: error: unknown start level \"superuser\" (expected \"user\", \"root\" or "
            "\"kernel\") (at /attacker/start)");
  EXPECT_EQ(p.errors[1].to_string(),
            "4:19: error: duplicate step id \"s\" (first at /steps/0) (at /steps/1/id)");
  EXPECT_EQ(p.errors[2].to_string(),
            "5:12: error: missing required field \"id\" in step (at /steps/2)");
  EXPECT_EQ(p.errors[3].to_string(),
            "5:12: error: missing required field \"grants\" in step (at /steps/2)");
}

TEST(AttackModelParse, GoalIdClashesWithALevel) {
  EXPECT_EQ(first_error(R"({"model": "x", "description": "d",
 "attacker": {"start": "user"}, "goals": [{"id": "root", "kind": "kernel_code"}],
 "steps": []})"),
            "2:50: error: capability \"root\" declared twice (at /goals/0/id)");
}

TEST(AttackModelParse, CommandNames) {
  EXPECT_EQ(policyctl::command_by_name("load_policy")->id, TZU_CMD_LOAD_POLICY);
  EXPECT_EQ(policyctl::command_by_name("LOAD_POLICY")->id, TZU_CMD_LOAD_POLICY);
  EXPECT_EQ(policyctl::command_by_name("TZU_CMD_HEARTBEAT")->id, TZU_CMD_HEARTBEAT);
  EXPECT_EQ(policyctl::command_by_name("nope"), nullptr);
}

}  // namespace
}  // namespace policyctl_test
