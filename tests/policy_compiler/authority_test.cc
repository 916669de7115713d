// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// authority_test.cc - the v2 policy members that decide who holds authority:
// "device", "audit_overflow", "weak_boot", attribute "writer", and the rule
// that rules may update only engine-written attributes. Exact diagnostics
// (line:column, message, JSON pointer) for every rule.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "compiler.h"
#include "test_util.h"

namespace {

using policyc_test::errors_of;

// Multi-line policies: line 5 onwards is what a case adds.
std::string doc(const std::string& members, const std::string& attrs = "",
                const std::string& rules = "") {
  std::string s =
      "{\n"
      "  \"policy\": \"p\", \"description\": \"d\", \"version\": 1,\n"
      "  \"default\": \"permit\",\n"
      "  \"device\": \"any\",\n";
  s += members;
  if (!attrs.empty()) s += "  \"attributes\": {\n" + attrs + "  },\n";
  s += "  \"rules\": [\n" + rules + "  ]\n}\n";
  return s;
}

struct Case {
  const char* name;
  std::string json;
  std::vector<std::string> errors;
};

const std::vector<Case>& cases() {
  static const std::vector<Case> kCases = {
      {"device_not_hex",
       "{\n  \"policy\": \"p\", \"description\": \"d\", \"version\": 1,\n"
       "  \"default\": \"permit\", \"rules\": [],\n"
       "  \"device\": \"board-1\"\n}\n",
       {"4:13: error: invalid device \"board-1\" (expected \"any\" or a device id of 32 hex "
        "digits, see `policyctl challenge`) (at /device)"}},
      {"device_31_digits",
       "{\n  \"policy\": \"p\", \"description\": \"d\", \"version\": 1,\n"
       "  \"default\": \"permit\", \"rules\": [],\n"
       "  \"device\": \"0123456789abcdef0123456789abcde\"\n}\n",
       {"4:13: error: invalid device \"0123456789abcdef0123456789abcde\" (expected \"any\" or "
        "a device id of 32 hex digits, see `policyctl challenge`) (at /device)"}},
      {"device_not_string",
       "{\n  \"policy\": \"p\", \"description\": \"d\", \"version\": 1,\n"
       "  \"default\": \"permit\", \"rules\": [],\n"
       "  \"device\": 7\n}\n",
       {"4:13: error: expected a string, got an integer (at /device)"}},
      {"audit_overflow_unknown", doc("  \"audit_overflow\": \"block\",\n"),
       {"5:21: error: unknown audit overflow \"block\" (expected \"drop-oldest\" or "
        "\"fail-closed\") (at /audit_overflow)"}},
      {"weak_boot_unknown", doc("  \"weak_boot\": true,\n"),
       {"5:16: error: expected a string, got a boolean (at /weak_boot)"}},
      {"weak_boot_unknown_choice", doc("  \"weak_boot\": \"ignore\",\n"),
       {"5:16: error: unknown weak boot action \"ignore\" (expected \"degrade\" or "
        "\"refuse\") (at /weak_boot)"}},
      {"writer_unknown", doc("", "    \"a\": {\"scope\": \"global\", \"writer\": \"root\"}\n"),
       {"6:40: error: unknown writer \"root\" (expected \"engine\", \"secure\" or \"admin\") "
        "(at /attributes/a/writer)"}},
      {"integrity_state_without_writer",
       doc("", "    \"integrity_state\": {\"scope\": \"global\"}\n"),
       {"6:24: error: \"integrity_state\" is measured by the secure world and must be "
        "declared \"writer\": \"secure\" (at /attributes/integrity_state)"}},
      {"integrity_state_admin",
       doc("", "    \"integrity_state\": {\"scope\": \"global\", \"writer\": \"admin\"}\n"),
       {"6:54: error: \"integrity_state\" is measured by the secure world and must be "
        "declared \"writer\": \"secure\" (at /attributes/integrity_state/writer)"}},
      {"integrity_state_per_subject",
       doc("", "    \"integrity_state\": {\"scope\": \"subject\", \"key\": \"tgid\", "
               "\"writer\": \"secure\"}\n"),
       {"6:34: error: \"integrity_state\" is a global int attribute (the secure world writes "
        "one value) (at /attributes/integrity_state/scope)"}},
      {"secure_writer_not_measured",
       doc("", "    \"x\": {\"scope\": \"global\", \"writer\": \"secure\"}\n"),
       {"6:40: error: the secure world measures no attribute \"x\" (\"secure\" is for "
        "\"integrity_state\") (at /attributes/x/writer)"}},
      {"rule_updates_admin_attr",
       doc("", "    \"q\": {\"scope\": \"global\", \"writer\": \"admin\"}\n",
           "    {\"id\": 1, \"name\": \"r\", \"hook\": \"key_alloc\", \"effect\": \"permit\",\n"
           "     \"pre_update\": [{\"attr\": \"q\", \"op\": \"set\", \"value\": 0}]}\n"),
       {"10:21: error: rules cannot update \"q\": its writer is \"admin\" (only signed "
        "UPDATE_ATTR) (at /rules/0/pre_update/0)"}},
      {"rule_updates_secure_attr",
       doc("", "    \"integrity_state\": {\"scope\": \"global\", \"writer\": \"secure\"}\n",
           "    {\"id\": 1, \"name\": \"r\", \"hook\": \"key_alloc\", \"effect\": \"permit\",\n"
           "     \"post_update\": [{\"attr\": \"integrity_state\", \"op\": \"set\", "
           "\"value\": 1}]}\n"),
       {"10:22: error: rules cannot update \"integrity_state\": its writer is \"secure\" "
        "(only the secure world's measurements) (at /rules/0/post_update/0)"}},
  };
  return kCases;
}

class AuthorityError : public ::testing::TestWithParam<Case> {};

TEST_P(AuthorityError, ReportsExactErrors) {
  const Case& c = GetParam();
  policyc::Key key = policyc_test::test_key();
  policyc::CompileResult r = policyc::compile(c.json, &key);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.blob.empty());
  EXPECT_EQ(errors_of(r), c.errors) << c.json;
}

INSTANTIATE_TEST_SUITE_P(Table, AuthorityError, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& p) {
                           return std::string(p.param.name);
                         });

TEST(Authority, WritersThatAreAllowed) {
  policyc::Key key = policyc_test::test_key();
  policyc::CompileResult r = policyc::compile(
      doc("  \"audit_overflow\": \"fail-closed\", \"weak_boot\": \"refuse\",\n",
          "    \"integrity_state\": {\"scope\": \"global\", \"writer\": \"secure\"},\n"
          "    \"q\": {\"scope\": \"global\", \"writer\": \"admin\"},\n"
          "    \"n\": {\"scope\": \"global\", \"writer\": \"engine\"}\n",
          "    {\"id\": 1, \"name\": \"r\", \"hook\": \"key_alloc\", \"effect\": \"permit\",\n"
          "     \"when\": {\"attr\": \"q\", \"gt\": {\"attr\": \"integrity_state\"}},\n"
          "     \"pre_update\": [{\"attr\": \"n\", \"op\": \"add\", \"value\": 1}]}\n"),
      &key);
  EXPECT_TRUE(r.ok) << ::testing::PrintToString(errors_of(r));
  EXPECT_TRUE(r.any_device);
}

policyc::CompileResult compile_for(const std::string& device_member,
                                   const std::optional<policyc::DeviceId>& device,
                                   bool is_default = false) {
  static const policyc::KeyPair kp = policyc_test::test_key_pair();
  policyc::CompileOptions opts;
  opts.key = &kp;
  opts.device = device;
  opts.device_is_default = is_default;
  std::string text =
      "{\n  \"policy\": \"p\", \"description\": \"d\", \"version\": 1,\n"
      "  \"default\": \"permit\", \"rules\": []" +
      (device_member.empty() ? std::string() : ",\n  \"device\": \"" + device_member + "\"") +
      "\n}\n";
  return policyc::compile(text, opts);
}

const policyc::DeviceId kDevA = {0xaa, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01};
const policyc::DeviceId kDevB = {0xbb, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02};
const char kDevAHex[] = "aa000000000000000000000000000001";

TEST(Authority, BlobMustBeBoundToADevice) {
  policyc::CompileResult r = compile_for("", std::nullopt);
  EXPECT_EQ(errors_of(r),
            std::vector<std::string>{
                "1:1: error: no target device: a blob must be bound to a device (compile "
                "--device DEVICE.pub|ID) or the policy must say \"device\": \"any\" (at root)"});
  // Checking only (validate: no key) needs no device: a policy file is
  // bound when it is compiled for a board.
  r = policyc::compile("{\"policy\":\"p\",\"description\":\"d\",\"version\":1,"
                       "\"default\":\"permit\",\"rules\":[]}",
                       policyc::CompileOptions{});
  EXPECT_TRUE(r.ok) << ::testing::PrintToString(errors_of(r));
}

TEST(Authority, DeviceFromPolicyOrOption) {
  policyc::CompileResult r = compile_for("", kDevA);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.device_id, kDevA);
  EXPECT_FALSE(r.any_device);
  r = compile_for(kDevAHex, std::nullopt);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.device_id, kDevA);
  r = compile_for(kDevAHex, kDevA);  // both, agreeing
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.device_id, kDevA);
  r = compile_for(std::string(kDevAHex).substr(0, 30) + "01", kDevA);  // upper/lower hex
  EXPECT_TRUE(r.ok);
}

TEST(Authority, DeviceConflictIsAnError) {
  EXPECT_EQ(errors_of(compile_for(kDevAHex, kDevB)),
            std::vector<std::string>{
                "4:13: error: the policy is bound to device \"aa000000000000000000000000000001\", "
                "but --device names \"bb000000000000000000000000000002\"; remove one of them "
                "(at /device)"});
  EXPECT_EQ(errors_of(compile_for("any", kDevB)),
            std::vector<std::string>{
                "4:13: error: the policy is bound to any device, but --device names "
                "\"bb000000000000000000000000000002\"; remove one of them (at /device)"});
  // A default device (policyctl test/explain) never overrides the policy.
  policyc::CompileResult r = compile_for(kDevAHex, kDevB, true);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.device_id, kDevA);
  r = compile_for("any", kDevB, true);
  ASSERT_TRUE(r.ok);
  EXPECT_TRUE(r.any_device);
}

TEST(Authority, DeviceIdIsSha256PrefixOfThePublicKey) {
  // RFC 8032 test 1 public key; SHA-256 of those 32 bytes computed with
  // `xxd -r -p | sha256sum`.
  policyc::PublicKey pub;
  const char kHex[] = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
  for (int i = 0; i < 32; ++i) {
    pub[i] = static_cast<std::uint8_t>(std::stoi(std::string(kHex + 2 * i, 2), nullptr, 16));
  }
  policyc::DeviceId id = policyc::device_id_of(pub);
  policyc::DeviceId want;
  ASSERT_TRUE(policyc::parse_device_id("21fe31dfa154a261626bf854046fd227", &want));
  EXPECT_EQ(id, want);
}

}  // namespace
