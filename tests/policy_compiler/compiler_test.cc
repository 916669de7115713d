// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// compiler_test.cc - malformed policies and their exact diagnostics
// (line:column, message, JSON pointer), plus compile()'s contract.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "compiler.h"
#include "test_util.h"

namespace {

using policyc_test::errors_of;
using policyc_test::policy;

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

std::string repeat_list(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += (i ? "," : "") + s;
  return out;
}

std::string int_list(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += (i ? "," : "") + std::to_string(i);
  return out;
}

std::string many_attrs(int n) {
  std::string out = "{";
  for (int i = 0; i < n; ++i) {
    out += (i ? "," : "") + std::string("\"a") + std::to_string(i) +
           R"(":{"scope":"global"})";
  }
  return out + "}";
}

const std::string kRule = R"({"id":1,"name":"r","hook":"mmap_file","effect":"deny"})";

// kRule with more members.
std::string rule(const std::string& extra) {
  return kRule.substr(0, kRule.size() - 1) + "," + extra + "}";
}

struct ErrorCase {
  const char* name;
  std::string json;
  std::vector<std::string> errors;
};

// Positions were counted independently of the compiler (by searching the
// text for the offending token); messages are the documented wording.
const std::vector<ErrorCase>& cases() {
  static const std::vector<ErrorCase> kCases = {
    {"empty_input",
     R"json()json",
     {"1:1: error: syntax error while parsing value: unexpected end of input; expected '[', '{', or a literal (at root)"}},
    {"trailing_comma",
     R"json({"policy":"p",})json",
     {"1:15: error: syntax error while parsing object key: unexpected '}'; expected string literal (at root)"}},
    {"control_char_in_string",
     R"json({"policy":"p
})json",
     {"1:13: error: syntax error while parsing value: invalid string: control character U+000A (LF) must be escaped to \\u000A or \\n; last read: '\"p<U+000A>' (at /policy)"}},
    {"duplicate_key",
     R"json({"policy":"p","policy":"q"})json",
     {"1:15: error: duplicate key \"policy\" (at /policy)"}},
    {"json_too_deep",
     repeat("[", 70) + repeat("]", 70),
     {"1:65: error: nesting deeper than 64 levels (at " + repeat("/0", 63) + ")"}},
    {"root_not_object",
     R"json([])json",
     {"1:1: error: expected policy (an object), got an array (at root)"}},
    {"unknown_top_level_field",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","rulez":[],"rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny"}]})json",
     {"1:64: error: unknown field \"rulez\" in policy (at /rulez)"}},
    {"missing_version",
     R"json({"policy":"p","description":"d","default":"permit","rules":[]})json",
     {"1:1: error: missing required field \"version\" in policy (at root)"}},
    {"negative_version",
     R"json({"policy":"p","description":"d","version":-1,"default":"permit","rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny"}]})json",
     {"1:43: error: integer -1 out of range [0, 4294967295] (at /version)"}},
    {"version_string",
     R"json({"policy":"p","description":"d","version":"3","default":"permit","rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny"}]})json",
     {"1:43: error: expected an integer, got a string (at /version)"}},
    {"version_fraction",
     R"json({"policy":"p","description":"d","version":1.5,"default":"permit","rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny"}]})json",
     {"1:43: error: expected an integer, got a fractional number (at /version)"}},
    {"unknown_combining",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","combining":"permit-overrides","rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny"}]})json",
     {"1:76: error: unknown combining algorithm \"permit-overrides\" (expected \"deny-overrides\" or \"first-applicable\") (at /combining)"}},
    {"blank_description",
     R"json({"policy":"p","description":"  ","version":1,"default":"permit","rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny"}]})json",
     {"1:29: error: empty description: state the intent (at /description)"}},
    {"unknown_attribute_field",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","attributes":{"a":{"scope":"global","intial":0}},"rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny"}]})json",
     {"1:100: error: unknown field \"intial\" in attribute (at /attributes/a/intial)"}},
    {"bad_scope",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","attributes":{"a":{"scope":"process"}},"rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny"}]})json",
     {"1:91: error: unknown scope \"process\" (expected \"global\", \"subject\" or \"object\") (at /attributes/a/scope)"}},
    {"global_with_key",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","attributes":{"a":{"scope":"global","key":"tgid"}},"rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny"}]})json",
     {"1:106: error: global attributes have no \"key\" (at /attributes/a/key)"}},
    {"bad_subject_key",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","attributes":{"a":{"scope":"subject","key":"pid"}},"rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny"}]})json",
     {"1:107: error: unknown subject key \"pid\" (expected \"tgid\" or \"exe\") (at /attributes/a/key)"}},
    {"object_key_not_object_field",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","attributes":{"a":{"scope":"object","key":"subject.uid"}},"rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny"}]})json",
     {"1:106: error: object attributes are keyed by an object field (e.g. \"object.id\"), not \"subject.uid\" (at /attributes/a/key)"}},
    {"bad_attribute_name",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","attributes":{"Bad-Name":{"scope":"global"}},"rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny"}]})json",
     {"1:78: error: invalid attribute name \"Bad-Name\" (1 to 63 of a-z, 0-9 and \"_\", not starting with a digit) (at /attributes/Bad-Name)"}},
    {"too_many_attributes",
     policy(kRule, many_attrs(65)),
     {"1:1668: error: too many attributes (limit 64) (at /attributes/a64)"}},
    {"unknown_rule_field_multiline",
     R"json({"policy":"p","description":"d","version":1,"default":"permit",
  "rules": [
    {"id": 1, "name": "r", "hook": "mmap_file",
     "efect": "deny"}
  ]
}
)json",
     {"3:5: error: missing required field \"effect\" in rule (at /rules/0)",
      "4:6: error: unknown field \"efect\" in rule (at /rules/0/efect)"}},
    {"rule_id_zero",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","rules":[{"id":0,"name":"r","hook":"mmap_file","effect":"deny"}]})json",
     {"1:79: error: integer 0 out of range [1, 4294967295] (at /rules/0/id)"}},
    {"unknown_hook",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","rules":[{"id":1,"name":"r","hook":"mmap","effect":"deny"}]})json",
     {"1:99: error: unknown hook \"mmap\" (at /rules/0/hook)"}},
    {"unknown_effect",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"allow"}]})json",
     {"1:120: error: unknown effect \"allow\" (expected \"permit\" or \"deny\") (at /rules/0/effect)"}},
    {"unknown_event_field",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny","when":{"field":"subject.uidd","eq":0}}]})json",
     {"1:143: error: unknown event field \"subject.uidd\" (at /rules/0/when/field)"}},
    {"undeclared_attribute",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny","when":{"attr":"quota","ge":3}}]})json",
     {"1:142: error: undeclared attribute \"quota\" (at /rules/0/when/attr)"}},
    {"misspelt_predicate_head",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny","when":{"fild":"subject.uid","eq":0}}]})json",
     {"1:135: error: unknown field \"fild\" in predicate (at /rules/0/when/fild)"}},
    {"unknown_operator",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny","when":{"field":"subject.uid","eqq":0}}]})json",
     {"1:157: error: unknown field \"eqq\" in comparison (at /rules/0/when/eqq)"}},
    {"two_operators",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny","when":{"field":"subject.uid","eq":0,"ne":1}}]})json",
     {"1:164: error: more than one operator in comparison (\"eq\" and \"ne\") (at /rules/0/when/ne)"}},
    {"missing_operator",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny","when":{"field":"subject.uid"}}]})json",
     {"1:134: error: missing operator in comparison (one of \"eq\", \"ne\", \"lt\", \"le\", \"gt\", \"ge\", \"in\", \"prefix\", \"bits_all\", \"bits_any\", \"range\") (at /rules/0/when)"}},
    {"string_field_int_value",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny","when":{"field":"subject.comm","eq":7}}]})json",
     {"1:163: error: expected a string, got an integer (at /rules/0/when/eq)"}},
    {"ordered_op_on_string",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny","when":{"field":"subject.comm","lt":"a"}}]})json",
     {"1:163: error: operator \"lt\" applies only to integers, not to string field \"subject.comm\" (at /rules/0/when/lt)"}},
    {"string_too_long",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny","when":{"field":"subject.comm","eq":"0123456789abcdef"}}]})json",
     {"1:163: error: string \"0123456789abcdef\" is 16 bytes; \"subject.comm\" holds at most 15 (at /rules/0/when/eq)"}},
    {"bad_digest",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny","when":{"field":"object.sha256","eq":"abcd"}}]})json",
     {"1:164: error: expected a sha-256 digest (64 hex characters), got \"abcd\" (at /rules/0/when/eq)"}},
    {"in_too_many_values",
     policy(rule(R"("when":{"field":"subject.uid","in":[)" + int_list(65) + "]}")),
     {"1:162: error: \"in\" takes 1 to 64 values, got 65 (at /rules/0/when/in)"}},
    {"unknown_symbol",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny","when":{"field":"object.prot","bits_any":"exe"}}]})json",
     {"1:168: error: unknown symbol \"exe\" for \"object.prot\" (expected \"read\", \"write\", \"exec\" (combine with \"|\")) (at /rules/0/when/bits_any)"}},
    {"present_on_field",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny","when":{"field":"subject.uid","present":true}}]})json",
     {"1:157: error: \"present\" applies only to attributes (at /rules/0/when/present)"}},
    {"unknown_operand_field",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny","when":{"field":"subject.uid","eq":{"field":"subject.euid","x":1}}}]})json",
     {"1:186: error: unknown field \"x\" in operand (at /rules/0/when/eq/x)"}},
    {"empty_all",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny","when":{"all":[]}}]})json",
     {"1:141: error: \"all\" needs at least one predicate (at /rules/0/when/all)"}},
    {"predicate_too_deep",
     policy(rule(R"("when":)" + repeat(R"({"not":)", 32) + "true" + repeat("}", 32))),
     {"1:358: error: predicate nested deeper than 32 levels (at /rules/0/when" + repeat("/not", 32) + ")"}},
    {"condition_reads_field",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny","condition":{"field":"subject.uid","eq":0}}]})json",
     {"1:148: error: a condition may not read event fields (found \"subject.uid\") (at /rules/0/condition/field)"}},
    {"condition_reads_subject_attr",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","attributes":{"n":{"scope":"subject","key":"tgid"}},"rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny","condition":{"attr":"n","eq":0}}]})json",
     {"1:199: error: a condition may only read global attributes; \"n\" is a subject attribute (at /rules/0/condition/attr)"}},
    {"ongoing_without_session",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"permit","ongoing":true}]})json",
     {"1:139: error: \"ongoing\" requires \"session\": true (at /rules/0/ongoing)"}},
    {"session_on_deny",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny","session":true}]})json",
     {"1:137: error: \"session\" requires effect \"permit\" (at /rules/0/session)"}},
    {"notify_code_without_notify",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny","notify_code":5}]})json",
     {"1:141: error: \"notify_code\" requires the \"notify\" obligation (at /rules/0/notify_code)"}},
    {"unknown_obligation",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny","obligations":["audit","page"]}]})json",
     {"1:150: error: unknown obligation \"page\" (expected \"audit\", \"kill\", \"revoke\", \"remeasure\" or \"notify\") (at /rules/0/obligations/1)"}},
    {"duplicate_rule_id",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny"},{"id":1,"name":"s","hook":"mmap_file","effect":"deny"}]})json",
     {"1:134: error: duplicate rule id 1 (also used at /rules/0) (at /rules/1/id)"}},
    {"duplicate_rule_name",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny"},{"id":2,"name":"r","hook":"mmap_file","effect":"deny"}]})json",
     {"1:143: error: duplicate rule name \"r\" (also used at /rules/0) (at /rules/1/name)"}},
    {"insert_into_int",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","attributes":{"n":{"scope":"global"}},"rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny","pre_update":[{"attr":"n","op":"insert","value":1}]}]})json",
     {"1:196: error: \"insert\" needs a set attribute; \"n\" is an int (at /rules/0/pre_update/0/op)"}},
    {"update_value_and_field",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","attributes":{"n":{"scope":"global"}},"rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny","pre_update":[{"attr":"n","op":"set","value":1,"field":"subject.uid"}]}]})json",
     {"1:179: error: update has both \"value\" and \"field\" (at /rules/0/pre_update/0)"}},
    {"unknown_update_field",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","attributes":{"n":{"scope":"global"}},"rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"deny","post_update":[{"attr":"n","op":"add","value":1,"by":2}]}]})json",
     {"1:213: error: unknown field \"by\" in update (at /rules/0/post_update/0/by)"}},
    {"too_many_updates_in_rule",
     policy(rule("\"pre_update\":[" + repeat_list(R"({"attr":"n","op":"add","value":1})", 17) + "]"), R"({"n":{"scope":"global"}})"),
     {"1:111: error: too many updates in rule (17, limit 16) (at /rules/0)"}},
    {"update_cycle",
     R"json({"policy":"p","description":"d","version":1,"default":"permit","attributes":{"x":{"scope":"global"},"y":{"scope":"global"}},"rules":[{"id":1,"name":"a","hook":"key_alloc","effect":"permit","session":true,"ongoing":{"attr":"x","lt":5},"post_update":[{"attr":"y","op":"add","value":1}]},{"id":2,"name":"b","hook":"key_alloc","effect":"permit","session":true,"ongoing":{"attr":"y","lt":5},"post_update":[{"attr":"x","op":"add","value":1}]}]})json",
     {"1:250: error: update cycle that can never settle: attribute \"x\" -> \"y\" (rule \"a\") -> \"x\" (rule \"b\") (at /rules/0/post_update/0)"}},
  };
  return kCases;
}

class MalformedPolicy : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(MalformedPolicy, ReportsExactErrors) {
  const ErrorCase& c = GetParam();
  policyc::Key key = policyc_test::test_key();
  policyc::CompileResult r = policyc::compile(c.json, &key);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.blob.empty()) << "nothing is emitted on error";
  EXPECT_EQ(errors_of(r), c.errors);
}

INSTANTIATE_TEST_SUITE_P(
    Table, MalformedPolicy, ::testing::ValuesIn(cases()),
    [](const ::testing::TestParamInfo<ErrorCase>& param) {
      return std::string(param.param.name);
    });

TEST(Compile, TableCoversEnoughCases) { EXPECT_GE(cases().size(), 25u); }

TEST(Compile, ValidPolicyWithoutKeyHasNoBlob) {
  policyc::CompileResult r = policyc::compile(policy(kRule), nullptr);
  ASSERT_TRUE(r.ok) << ::testing::PrintToString(errors_of(r));
  EXPECT_TRUE(r.blob.empty());
  EXPECT_EQ(r.name, "p");
  EXPECT_EQ(r.policy_version, 1u);
  ASSERT_EQ(r.rules.size(), 1u);
  EXPECT_EQ(r.rules[0].id, 1u);
  EXPECT_EQ(r.rules[0].name, "r");
  EXPECT_EQ(r.rules[0].pointer, "/rules/0");
}

TEST(Compile, RejectsKeysOfWrongSize) {
  policyc::Key short_key(8, 1);
  policyc::CompileResult r = policyc::compile(policy(kRule), &short_key);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(errors_of(r),
            std::vector<std::string>{
                "error: a signing key has 32 bytes, not 8 (at root)"});
}

TEST(Compile, ReportsSeveralIndependentErrorsInSourceOrder) {
  std::string text = policy(rule(R"("when":{"field":"subject.uidd","eq":0})") +
                            "," +
                            R"({"id":2,"name":"s","hook":"nope","effect":"deny"})");
  policyc::CompileResult r = policyc::compile(text, nullptr);
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0].pointer, "/rules/0/when/field");
  EXPECT_EQ(r.errors[1].pointer, "/rules/1/hook");
  EXPECT_LT(r.errors[0].column, r.errors[1].column);
}

TEST(Compile, ColumnsCountCharactersNotBytes) {
  // "é" is two bytes in UTF-8 but one column.
  std::string text = R"({"description":"é","policy":"p","version":1,"default":"permit","rules":[],"x":1})";
  policyc::CompileResult r = policyc::compile(text, nullptr);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].to_string(),
            "1:75: error: unknown field \"x\" in policy (at /x)");
}

TEST(Compile, PointerEscapesSlashAndTilde) {
  std::string text = policy(kRule, "", R"("a/b~c":1,)");
  policyc::CompileResult r = policyc::compile(text, nullptr);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].pointer, "/a~1b~0c");
}

TEST(Compile, GarbageNeverThrows) {
  const char* inputs[] = {"\xff\xfe", "{\"policy\":", "nul", "{\"rules\":[{]}",
                          "\"just a string\"", "1e999"};
  for (const char* in : inputs) {
    policyc::CompileResult r = policyc::compile(in, nullptr);
    EXPECT_FALSE(r.ok) << in;
    ASSERT_FALSE(r.errors.empty()) << in;
    EXPECT_GE(r.errors[0].line, 1u) << in;
  }
}

TEST(Diagnostic, RendersWarningsAndRootPointer) {
  policyc::Diagnostic d;
  d.severity = policyc::Diagnostic::Severity::kWarning;
  d.message = "m";
  d.line = 2;
  d.column = 3;
  EXPECT_EQ(d.to_string(), "2:3: warning: m (at root)");
  d.pointer = "/rules/0";
  d.line = 0;
  EXPECT_EQ(d.to_string(), "warning: m (at /rules/0)");
}

}  // namespace
