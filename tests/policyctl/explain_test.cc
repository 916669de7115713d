// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// explain_test.cc - `policyctl explain`: considered rules, matches, and the
// failed predicates rendered back into text with the values they saw.
#include <gtest/gtest.h>

#include "event_json.h"
#include "test_files.h"

namespace policyctl_test {
namespace {

using policyctl::Json;

const char kPolicy[] = R"({
  "policy": "explain-test",
  "description": "rules whose failures explain can name",
  "version": 1,
  "default": "permit",
  "attributes": {
    "key_uses": {"scope": "subject", "key": "tgid", "initial": 0},
    "integrity_state": {"scope": "global", "initial": 1, "writer": "secure"}
  },
  "rules": [
    {"id": 10, "name": "root-only", "hook": "bpf_prog_load", "effect": "deny",
     "when": {"all": [{"field": "subject.euid", "ne": 0},
                      {"field": "subject.comm", "prefix": "bpf"}]}},
    {"id": 11, "name": "tools", "hook": "bpf_prog_load", "effect": "permit",
     "when": {"any": [{"field": "subject.comm", "in": ["bpftool", "ip"]},
                      {"not": {"field": "object.kind", "range": [1, 5]}}]}},
    {"id": 12, "name": "quota", "hook": "bpf_prog_load", "effect": "deny",
     "when": {"attr": "key_uses", "ge": 3}},
    {"id": 13, "name": "healthy", "hook": "bpf_prog_load", "effect": "deny",
     "when": {"field": "object.len", "gt": 4096},
     "condition": {"attr": "integrity_state", "ne": 1}},
    {"id": 20, "name": "wx", "hook": "file_mprotect", "effect": "deny",
     "when": {"field": "object.prot", "bits_all": "exec"}}
  ]
})";

class Explain : public ::testing::Test {
 protected:
  Explain() { policy_ = dir_.write("p.json", kPolicy); }

  Json explain(const std::string& event) {
    CliRun r = run_cli({"explain", policy_, "--event", dir_.write("e.json", event), "--json"});
    EXPECT_EQ(r.rc, 0) << r.err;
    return Json::parse(r.out);
  }

  TempDir dir_;
  std::string policy_;
};

TEST_F(Explain, NamesFailedPredicatesAndTheirValues) {
  Json j = explain(R"({"hook":"bpf_prog_load","seq":4,
                       "subject":{"euid":1000,"comm":"evil"},
                       "object":{"kind":2,"len":8192}})");
  EXPECT_EQ(j["decision"]["verdict"], "allow");
  EXPECT_EQ(j["decision"]["flags"], Json::array({"default"}));
  EXPECT_EQ(j["combining"], "deny-overrides");
  EXPECT_EQ(j["default"], "permit");
  const Json& rules = j["rules"];
  ASSERT_EQ(rules.size(), 4u);  // the file_mprotect rule is not for this hook

  EXPECT_EQ(rules[0]["id"], 10);
  EXPECT_EQ(rules[0]["name"], "root-only");
  EXPECT_EQ(rules[0]["matched"], false);
  EXPECT_EQ(rules[0]["target"], "(subject.euid != 0 && subject.comm prefix \"bpf\")");
  ASSERT_EQ(rules[0]["failed"].size(), 1u);
  EXPECT_EQ(rules[0]["failed"][0]["expr"], "subject.comm prefix \"bpf\"");
  EXPECT_EQ(rules[0]["failed"][0]["value"], "subject.comm = \"evil\"");
  EXPECT_EQ(rules[0]["failed"][0]["where"], "target");

  // An "any" fails only when every alternative did: both are listed.
  EXPECT_EQ(rules[1]["target"],
            "(subject.comm in {\"bpftool\", \"ip\"} || !(object.kind range [1, 5]))");
  ASSERT_EQ(rules[1]["failed"].size(), 2u);
  EXPECT_EQ(rules[1]["failed"][0]["expr"], "subject.comm in {\"bpftool\", \"ip\"}");
  EXPECT_EQ(rules[1]["failed"][1]["expr"], "!(object.kind range [1, 5])");

  EXPECT_EQ(rules[2]["failed"][0]["expr"], "attr.key_uses >= 3");
  EXPECT_EQ(rules[2]["failed"][0]["value"], "attr.key_uses = 0 (initial value)");

  // Target held, the condition did not.
  EXPECT_EQ(rules[3]["condition"], "attr.integrity_state != 1");
  ASSERT_EQ(rules[3]["failed"].size(), 1u);
  EXPECT_EQ(rules[3]["failed"][0]["where"], "condition");
  EXPECT_EQ(rules[3]["failed"][0]["expr"], "attr.integrity_state != 1");
}

TEST_F(Explain, MatchedRuleDecides) {
  Json j = explain(R"({"hook":"bpf_prog_load","subject":{"euid":5,"comm":"bpfload"}})");
  EXPECT_EQ(j["decision"]["verdict"], "deny");
  EXPECT_EQ(j["decision"]["rule"], 10);
  EXPECT_EQ(j["decision"]["rule_name"], "root-only");
  EXPECT_EQ(j["rules"][0]["matched"], true);
  EXPECT_EQ(j["rules"][0]["failed"], Json::array());
}

TEST_F(Explain, BitTestsRenderInHex) {
  Json j = explain(R"({"hook":"file_mprotect","object":{"prot":3}})");
  ASSERT_EQ(j["rules"].size(), 1u);
  EXPECT_EQ(j["rules"][0]["target"], "object.prot bits_all 0x4");
  EXPECT_EQ(j["rules"][0]["failed"][0]["value"], "object.prot = 0x3");
}

TEST_F(Explain, TextOutput) {
  CliRun r = run_cli({"explain", policy_, "--event",
                      dir_.write("e.json", R"({"hook":"file_mprotect","object":{"prot":1}})")});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("decision: allow"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("rule 20 \"wx\" (deny): no match"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("failed (target): object.prot bits_all 0x4   -- object.prot = 0x1"),
            std::string::npos)
      << r.out;
}

TEST_F(Explain, Errors) {
  CliRun r = run_cli({"explain", policy_, "--event", dir_.write("e.json", R"({"hook":"nope"})")});
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.err.find("unknown hook \"nope\""), std::string::npos) << r.err;
  r = run_cli({"explain", policy_, "--event", dir_.write("c.json", R"({"op":"end_usage","session":1})")});
  EXPECT_EQ(r.rc, 1);
  r = run_cli({"explain", dir_.write("bad.json", "{\"policy\":"), "--event",
               dir_.write("e.json", R"({"hook":"alg_bind"})")});
  EXPECT_EQ(r.rc, 2);
}

}  // namespace
}  // namespace policyctl_test
