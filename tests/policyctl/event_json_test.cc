// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// event_json_test.cc - trace event/command parsing and decision rendering.
#include "event_json.h"

#include <gtest/gtest.h>

#include <cstring>

namespace policyctl {
namespace {

Json parse(const char* s) { return Json::parse(s); }

// Expects event_from_json to throw a JsonError whose message contains `what`.
void expect_event_error(const char* json, const char* what) {
  try {
    event_from_json(parse(json));
    ADD_FAILURE() << "accepted: " << json;
  } catch (const JsonError& e) {
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos)
        << "message: " << e.what() << "\nwanted: " << what;
  }
}

TEST(EventJson, FullEventLandsInTheWireFields) {
  const std::string digest(64, 'a');
  Json j = parse(R"({"hook":"file_mprotect","seq":7,"cpu":1,
      "subject":{"pid":10,"tgid":11,"uid":1000,"euid":0,"gid":5,"egid":6,
                 "exe_dev":8,"exe_ino":123456789012,"comm":"jit"},
      "object":{"addr":4096,"len":8192,"prot":5,"old_prot":3,"flags":2,
                "kind":1,"id":99,"dev":3,"ino":77,"mode":420,
                "type":"user","name":"libfoo.so"}})");
  j["subject"]["exe_sha256"] = digest;
  tzu_event ev = event_from_json(j);
  EXPECT_EQ(ev.hdr.magic, TZU_MAGIC);
  EXPECT_EQ(ev.hdr.version, TZU_ABI_VERSION);
  EXPECT_EQ(ev.hdr.command, TZU_CMD_DECIDE);
  EXPECT_EQ(ev.hdr.size, sizeof(tzu_event));
  EXPECT_EQ(ev.hook, TZU_HOOK_FILE_MPROTECT);
  EXPECT_EQ(ev.seq, 7u);
  EXPECT_EQ(ev.cpu, 1u);
  EXPECT_EQ(ev.flags, TZU_EVF_EXE_DIGEST);  // implied by the digest
  EXPECT_EQ(ev.subject.pid, 10u);
  EXPECT_EQ(ev.subject.tgid, 11u);
  EXPECT_EQ(ev.subject.uid, 1000u);
  EXPECT_EQ(ev.subject.gid, 5u);
  EXPECT_EQ(ev.subject.egid, 6u);
  EXPECT_EQ(ev.subject.exe_dev, 8u);
  EXPECT_EQ(ev.subject.exe_ino, 123456789012ull);
  EXPECT_EQ(ev.subject.exe_sha256[0], 0xaa);
  EXPECT_EQ(ev.subject.exe_sha256[31], 0xaa);
  EXPECT_STREQ(ev.subject.comm, "jit");
  EXPECT_EQ(ev.object.addr, 4096u);
  EXPECT_EQ(ev.object.len, 8192u);
  EXPECT_EQ(ev.object.prot, 5u);
  EXPECT_EQ(ev.object.old_prot, 3u);
  EXPECT_EQ(ev.object.flags, 2u);
  EXPECT_EQ(ev.object.kind, 1u);
  EXPECT_EQ(ev.object.id, 99u);
  EXPECT_EQ(ev.object.dev, 3u);
  EXPECT_EQ(ev.object.ino, 77u);
  EXPECT_EQ(ev.object.mode, 420u);
  EXPECT_STREQ(ev.object.type, "user");
  EXPECT_STREQ(ev.object.name, "libfoo.so");
}

TEST(EventJson, MissingFieldsAreZero) {
  tzu_event ev = event_from_json(parse(R"({"hook":"devmem_open"})"));
  tzu_event zero;
  std::memset(&zero, 0, sizeof(zero));
  EXPECT_EQ(ev.seq, 0u);
  EXPECT_EQ(std::memcmp(&ev.subject, &zero.subject, sizeof(zero.subject)), 0);
  EXPECT_EQ(std::memcmp(&ev.object, &zero.object, sizeof(zero.object)), 0);
  EXPECT_EQ(ev.flags, 0u);
}

TEST(EventJson, ObjectDigestSetsItsFlag) {
  Json j = parse(R"({"hook":"kernel_read_file","object":{}})");
  j["object"]["sha256"] = std::string(64, '0');
  EXPECT_EQ(event_from_json(j).flags, TZU_EVF_OBJ_DIGEST);
}

TEST(EventJson, RoundTrip) {
  Json j = parse(R"({"hook":"key_permission","seq":3,"flags":4,
      "subject":{"tgid":5,"comm":"x"},"object":{"id":9,"type":"user","name":"k"}})");
  tzu_event ev = event_from_json(j);
  tzu_event again = event_from_json(event_to_json(ev));
  EXPECT_EQ(std::memcmp(&ev, &again, sizeof(ev)), 0);
}

TEST(EventJson, Errors) {
  expect_event_error(R"({"seq":1})", "missing \"hook\"");
  expect_event_error(R"({"hook":"nope"})", "unknown hook \"nope\"");
  expect_event_error(R"({"hook":"bpf_prog_load","bogus":1})", "event: unknown key \"bogus\"");
  expect_event_error(R"({"hook":"bpf_prog_load","subject":{"pidd":1}})",
                     "subject: unknown key \"pidd\"");
  expect_event_error(R"({"hook":"bpf_prog_load","object":{"colour":1}})",
                     "object: unknown key \"colour\"");
  expect_event_error(R"({"hook":"bpf_prog_load","subject":{"uid":-1}})",
                     "subject.uid: expected a non-negative integer");
  expect_event_error(R"({"hook":"bpf_prog_load","subject":{"uid":4294967296}})",
                     "subject.uid: value out of range");
  expect_event_error(R"({"hook":"bpf_prog_load","subject":{"uid":"0"}})",
                     "subject.uid: expected a non-negative integer");
  expect_event_error(R"({"hook":"bpf_prog_load","subject":{"uid":1.5}})",
                     "subject.uid: expected a non-negative integer");
  expect_event_error(R"({"hook":"bpf_prog_load","subject":{"comm":"0123456789abcdef"}})",
                     "subject.comm: longer than 15 bytes");
  expect_event_error(R"({"hook":"bpf_prog_load","object":{"sha256":"abc"}})",
                     "object.sha256: expected 64 hex digits");
  expect_event_error(R"({"hook":"bpf_prog_load","subject":[]})", "subject: expected an object");
  expect_event_error(R"({"hook":3})", "hook: expected a string");
}

TEST(EventJson, LongestStringsFit) {
  Json j = parse(R"({"hook":"alg_bind","subject":{"comm":"0123456789abcde"}})");
  j["object"]["name"] = std::string(63, 'n');
  j["object"]["type"] = std::string(31, 't');
  tzu_event ev = event_from_json(j);
  EXPECT_EQ(std::strlen(ev.subject.comm), 15u);
  EXPECT_EQ(std::strlen(ev.object.name), 63u);
  EXPECT_EQ(std::strlen(ev.object.type), 31u);
  j["object"]["name"] = std::string(64, 'n');
  EXPECT_THROW(event_from_json(j), JsonError);
}

TEST(EventJson, Commands) {
  TraceCommand c = command_from_json(
      parse(R"({"op":"update_attr","name":"integrity_state","value":2,"attr_op":"set"})"));
  EXPECT_EQ(c.op, TraceCommand::Op::kUpdateAttr);
  EXPECT_EQ(c.name, "integrity_state");
  EXPECT_EQ(c.value, 2);
  EXPECT_EQ(c.key, 0u);
  EXPECT_EQ(c.attr_op, TZU_ATTR_OP_SET);
  c = command_from_json(parse(R"({"op":"update_attr","name":"q","value":-3,"attr_op":"add","key":100})"));
  EXPECT_EQ(c.value, -3);
  EXPECT_EQ(c.key, 100u);
  EXPECT_EQ(c.attr_op, TZU_ATTR_OP_ADD);
  c = command_from_json(parse(R"({"op":"end_usage","session":4})"));
  EXPECT_EQ(c.op, TraceCommand::Op::kEndUsage);
  EXPECT_EQ(c.session, 4u);
  c = command_from_json(parse(R"({"op":"set_mode","mode":"permissive"})"));
  EXPECT_EQ(c.op, TraceCommand::Op::kSetMode);
  EXPECT_EQ(c.mode, TZU_MODE_PERMISSIVE);

  EXPECT_THROW(command_from_json(parse(R"({"op":"reboot"})")), JsonError);
  EXPECT_THROW(command_from_json(parse(R"({"op":"set_mode","mode":"lax"})")), JsonError);
  EXPECT_THROW(command_from_json(parse(R"({"op":"end_usage"})")), JsonError);
  EXPECT_THROW(command_from_json(parse(R"({"op":"end_usage","session":1,"x":2})")), JsonError);
  EXPECT_THROW(command_from_json(parse(R"({"op":"update_attr","name":"a","attr_op":"mul"})")),
               JsonError);
  EXPECT_THROW(command_from_json(parse(R"({"op":"update_attr","value":1})")), JsonError);
}

TEST(EventJson, IsCommand) {
  EXPECT_TRUE(is_command(parse(R"({"op":"end_usage","session":1})")));
  EXPECT_FALSE(is_command(parse(R"({"hook":"alg_bind"})")));
  EXPECT_THROW(is_command(parse(R"({"hook":"alg_bind","op":"x"})")), JsonError);
  EXPECT_THROW(is_command(parse(R"({"seq":1})")), JsonError);
  EXPECT_THROW(is_command(parse(R"([1])")), JsonError);
}

TEST(EventJson, DecisionLine) {
  tzu_decision d;
  std::memset(&d, 0, sizeof(d));
  d.seq = 5;
  d.verdict = TZU_VERDICT_DENY;
  d.rule_id = 10;
  d.flags = TZU_DF_PERMISSIVE | TZU_DF_WOULD_DENY | 0x800;  // a bit this policyctl has no name for
  d.obligations = TZU_OBL_AUDIT | TZU_OBL_NOTIFY;
  d.notify_code = 77;
  d.epoch = 2;
  d.session_id = 9;  // not opened: must print 0
  d.n_revoked = 2;
  d.revoked[0] = 3;
  d.revoked[1] = 4;
  d.revoked_tgid[0] = 30;
  d.revoked_tgid[1] = 40;
  d.revoke_reason = TZU_REVOKE_ONGOING;
  Json j = decision_to_json(d, TZU_HOOK_KEY_PERMISSION, {{10, "key-owner"}});
  EXPECT_EQ(dump(j),
            R"({"seq":5,"hook":"key_permission","verdict":"deny","rule":10,)"
            R"("rule_name":"key-owner","flags":["permissive","would_deny","0x800"],)"
            R"("obligations":["audit","notify"],"notify_code":77,"session":0,)"
            R"("revoked":[3,4],"revoked_tgids":[30,40],"revoke_reason":"ongoing","epoch":2})");
  d.flags = TZU_DF_SESSION_OPENED;
  d.n_revoked = 0;
  d.rule_id = 0;
  d.obligations = 0;
  d.hdr.status = TZU_E_BAD_FIELD;
  j = decision_to_json(d, TZU_HOOK_KEY_PERMISSION, {});
  EXPECT_EQ(j["session"], 9);
  EXPECT_FALSE(j.contains("rule_name"));
  EXPECT_EQ(j["revoked"], Json::array());
  EXPECT_EQ(j["status"], "bad field");
  // The kernel's hints stay out of "flags" (expectations written before
  // them still match) and name the cache key's fields.
  d.flags = TZU_DF_DEFAULT | TZU_DF_CACHEABLE | TZU_DF_TASK_STATE;
  d.cache_fields = (1u << TZU_FIELD_HOOK) | (1u << TZU_FIELD_PROT);
  j = decision_to_json(d, TZU_HOOK_FILE_MPROTECT, {});
  EXPECT_EQ(j["flags"], Json::array({"default"}));
  EXPECT_EQ(j["cacheable_on"], Json::array({"hook", "object.prot"}));
  EXPECT_EQ(j["task_state"], true);
}

TEST(EventJson, AuditRecordCarriesRawAndReadableFields) {
  tzu_audit_record r;
  std::memset(&r, 0, sizeof(r));
  r.index = 3;
  r.event_seq = 8;
  r.rule_id = 10;
  r.verdict = TZU_VERDICT_DENY;
  r.flags = TZU_DF_DEFAULT;
  r.hook = TZU_HOOK_DEVMEM_OPEN;
  r.obligations = TZU_OBL_AUDIT;
  r.hash[0] = 0xab;
  Json j = audit_record_to_json(r);
  EXPECT_EQ(j["index"], 3);
  EXPECT_EQ(j["event_seq"], 8);
  EXPECT_EQ(j["verdict"], 1);
  EXPECT_EQ(j["verdict_name"], "deny");
  EXPECT_EQ(j["hook"], TZU_HOOK_DEVMEM_OPEN);
  EXPECT_EQ(j["hook_name"], "devmem_open");
  EXPECT_EQ(j["flags"], TZU_DF_DEFAULT);
  EXPECT_EQ(j["flags_text"], Json::array({"default"}));
  EXPECT_EQ(j["obligations_text"], Json::array({"audit"}));
  EXPECT_EQ(j["hash"].get<std::string>().substr(0, 4), "ab00");
}

TEST(EventJson, Hex) {
  std::uint8_t b[2];
  EXPECT_TRUE(from_hex("aB09", b, 2));
  EXPECT_EQ(b[0], 0xab);
  EXPECT_EQ(b[1], 0x09);
  EXPECT_EQ(to_hex(b, 2), "ab09");
  EXPECT_FALSE(from_hex("ab0", b, 2));
  EXPECT_FALSE(from_hex("ag09", b, 2));
}

TEST(EventJson, DumpSurvivesInvalidUtf8) {
  Json j = std::string("\xff\xfe");
  EXPECT_NO_THROW(dump(j));
}

}  // namespace
}  // namespace policyctl
