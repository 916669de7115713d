// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// guest_commands_test.cc - load, status, mode, stats, attr and audit against
// an in-process engine behind the ABI (fake_secure_world.h).
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "compiler.h"
#include "event_json.h"
#include "fake_secure_world.h"
#include "test_files.h"

namespace policyctl_test {
namespace {

using policyctl::Json;

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const char kPolicy[] = R"({
  "policy": "guest-test",
  "description": "exercises the guest commands",
  "version": 3,
  "default": "permit",
  "attributes": {"integrity_state": {"scope": "global", "initial": 1, "writer": "secure"},
                 "trusted": {"scope": "global", "initial": 1, "writer": "admin"}},
  "rules": [
    {"id": 1, "name": "no-devmem-write", "hook": "devmem_open", "effect": "deny",
     "audit": true, "when": {"field": "object.flags", "bits_any": 3}},
    {"id": 2, "name": "key-use", "hook": "key_permission", "effect": "permit",
     "session": true, "audit": true, "ongoing": {"attr": "trusted", "eq": 1}}
  ]
})";

std::vector<std::uint8_t> compile(const std::string& text, const policyc::Key& key) {
  policyc::CompileResult r = policyc::compile(text, &key);
  EXPECT_TRUE(r.ok) << (r.errors.empty() ? "" : r.errors[0].to_string());
  return r.blob;
}

std::string blob_text(const std::vector<std::uint8_t>& b) {
  return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

tzu_event event(std::uint32_t hook, std::uint32_t tgid, std::uint32_t flags) {
  tzu_event ev;
  std::memset(&ev, 0, sizeof(ev));
  ev.hdr = {TZU_MAGIC, TZU_ABI_VERSION, TZU_CMD_DECIDE, sizeof(ev), 0};
  ev.hook = hook;
  ev.subject.tgid = ev.subject.pid = tgid;
  ev.object.flags = flags;
  return ev;
}

class GuestCommands : public ::testing::Test {
 protected:
  GuestCommands() : key_(32, 0x42), world_(key_) {
    blob_ = dir_.write("p.blob", blob_text(compile(kPolicy, key_)));
    std::string err;
    admin_key_ = dir_.file("admin.key");
    EXPECT_TRUE(policyc::write_key_pair(admin_key_, dir_.file("admin.pub"),
                                        FakeSecureWorld::admin_key(), &err))
        << err;
    device_pub_ = dir_.write("device.pub",
                             policyc::public_key_text(FakeSecureWorld::device_key().pub));
  }

  CliRun run(std::vector<std::string> argv) { return run_cli(argv, world_.connector()); }

  tzu_decision decide(const tzu_event& ev) {
    tzu_decision d;
    EXPECT_EQ(world_.engine().decide(ev, &d), ucon::Status::kOk);
    return d;
  }

  TempDir dir_;
  policyc::Key key_;
  FakeSecureWorld world_;
  std::string blob_;
  std::string admin_key_;
  std::string device_pub_;
};

TEST_F(GuestCommands, LoadThenStatus) {
  CliRun r = run({"status", "--json"});
  ASSERT_EQ(r.rc, 0) << r.err;
  Json s = Json::parse(r.out);
  EXPECT_EQ(s["policy_loaded"], false);

  r = run({"load", blob_});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "loaded " + blob_ + ": epoch 1, policy version 3, 2 rules, "
                   "0 sessions revoked by the swap\n");
  r = run({"status", "--json"});
  ASSERT_EQ(r.rc, 0) << r.err;
  s = Json::parse(r.out);
  EXPECT_EQ(s["policy_loaded"], true);
  EXPECT_EQ(s["epoch"], 1);
  EXPECT_EQ(s["policy_version"], 3);
  EXPECT_EQ(s["mode"], "enforce");
  EXPECT_EQ(s["integrity"], "ok");  // integrity_state's initial value 1
  // A session rule also makes the lifecycle hooks that end sessions
  // interesting (a key session ends with its key, not with its process).
  EXPECT_EQ(s["interest_mask"],
            Json::array({"devmem_open", "key_permission", "usage_end", "key_free"}));
  EXPECT_TRUE(world_.request_errors.empty()) << world_.request_errors[0];
}

TEST_F(GuestCommands, RejectedBlobsExitTwoAndKeepThePolicy) {
  ASSERT_EQ(run({"load", blob_}).rc, 0);
  // Signed with another key.
  std::string other = dir_.write("o.blob", blob_text(compile(kPolicy, policyc::Key(32, 1))));
  CliRun r = run({"load", other});
  EXPECT_EQ(r.rc, policyctl::kExitInvalid);
  EXPECT_NE(r.err.find("rejected: signature invalid (TZU_E_AUTH); the active policy is "
                       "unchanged"),
            std::string::npos)
      << r.err;
  // Older version.
  std::string old_text = kPolicy;
  old_text.replace(old_text.find("\"version\": 3"), 12, "\"version\": 2");
  std::string old = dir_.write("old.blob", blob_text(compile(old_text, key_)));
  r = run({"load", old});
  EXPECT_EQ(r.rc, policyctl::kExitInvalid);
  EXPECT_NE(r.err.find("policy rollback"), std::string::npos) << r.err;
  // Truncated.
  std::string cut = dir_.write("cut.blob", blob_text(compile(kPolicy, key_)).substr(0, 100));
  EXPECT_EQ(run({"load", cut}).rc, policyctl::kExitInvalid);
  EXPECT_EQ(world_.engine().epoch(), 1u);
  // A missing file is an I/O error, not an invalid policy.
  EXPECT_EQ(run({"load", dir_.file("missing.blob")}).rc, policyctl::kExitError);
}

TEST_F(GuestCommands, ModeAndStats) {
  ASSERT_EQ(run({"load", blob_}).rc, 0);
  decide(event(TZU_HOOK_DEVMEM_OPEN, 50, 2));  // denied
  decide(event(TZU_HOOK_DEVMEM_OPEN, 50, 0));  // allowed by default
  // Without an authorization the secure world refuses, and the user sees why.
  CliRun r = run({"mode", "permissive"});
  EXPECT_EQ(r.rc, policyctl::kExitError);
  EXPECT_NE(r.err.find("secure world: admin authorization required (TZU_E_AUTH_REQUIRED); "
                       "give --token TOKEN"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(world_.engine().mode(), static_cast<std::uint32_t>(TZU_MODE_ENFORCE));
  r = run({"mode", "permissive", "--key", admin_key_});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(world_.engine().mode(), static_cast<std::uint32_t>(TZU_MODE_PERMISSIVE));
  decide(event(TZU_HOOK_DEVMEM_OPEN, 50, 2));  // would deny
  r = run({"stats", "--json"});
  ASSERT_EQ(r.rc, 0) << r.err;
  Json s = Json::parse(r.out);
  EXPECT_EQ(s["decisions"], 3);
  EXPECT_EQ(s["denied"], 1);
  EXPECT_EQ(s["allowed"], 2);
  EXPECT_EQ(s["permissive_denials"], 1);
  EXPECT_EQ(s["mode"], "permissive");
  EXPECT_EQ(s["audit_records"], 2);
  EXPECT_EQ(s["policy_loads"], 1);
  EXPECT_EQ(s["per_hook"], Json({{"devmem_open", 3}}));
  r = run({"mode", "enforce", "--json", "--key", admin_key_});
  EXPECT_EQ(r.out, "{\"mode\":\"enforce\"}\n");
  EXPECT_EQ(world_.engine().mode(), static_cast<std::uint32_t>(TZU_MODE_ENFORCE));
}

TEST_F(GuestCommands, AttrRevokesLiveSessions) {
  ASSERT_EQ(run({"load", blob_}).rc, 0);
  tzu_decision d = decide(event(TZU_HOOK_KEY_PERMISSION, 77, 0));
  ASSERT_TRUE(d.flags & TZU_DF_SESSION_OPENED);
  CliRun r = run({"attr", "trusted", "--op", "set", "--value", "2", "--json", "--key", admin_key_});
  ASSERT_EQ(r.rc, 0) << r.err;
  Json j = Json::parse(r.out);
  EXPECT_EQ(j["value"], 2);
  EXPECT_EQ(j["revoked"], Json::array({{{"session", d.session_id}, {"tgid", 77}}}));
  // Positional form, as used by the e2e scripts.
  r = run({"attr", "trusted", "add", "-1", "--key", admin_key_});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "trusted = 1\n");
  // The secure world's own measurement is not an administrator's to write.
  r = run({"attr", "integrity_state", "set", "1", "--key", admin_key_});
  EXPECT_EQ(r.rc, policyctl::kExitError);
  EXPECT_NE(r.err.find("attribute not writable by an administrator (TZU_E_NOT_WRITABLE)"),
            std::string::npos)
      << r.err;
  r = run({"attr", "no_such_attr", "--op", "set", "--value", "1", "--key", admin_key_});
  EXPECT_EQ(r.rc, policyctl::kExitError);
  EXPECT_NE(r.err.find("secure world: not found"), std::string::npos) << r.err;
}

TEST_F(GuestCommands, AuditVerifies) {
  ASSERT_EQ(run({"load", blob_}).rc, 0);
  for (int i = 0; i < 40; ++i) decide(event(TZU_HOOK_DEVMEM_OPEN, 100 + i, 2));
  CliRun r = run({"audit", "--verify"});
  ASSERT_EQ(r.rc, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line;
  std::vector<Json> recs;
  int anchors = 0;
  while (std::getline(lines, line)) {
    Json j = Json::parse(line);
    if (j.contains("anchor")) {
      ++anchors;
      EXPECT_EQ(j["anchor"], std::string(64, '0'));  // nothing fell off
    } else {
      recs.push_back(j);
    }
  }
  EXPECT_EQ(anchors, 1);  // 40 records take two reads; the 2nd continues the 1st
  ASSERT_EQ(recs.size(), 40u);
  for (std::size_t i = 0; i < recs.size(); ++i) {
    EXPECT_EQ(recs[i]["index"], i);
    EXPECT_EQ(recs[i]["tgid"], 100 + i);
    EXPECT_EQ(recs[i]["verdict_name"], "deny");
    EXPECT_EQ(recs[i]["rule_id"], 1);
  }
  EXPECT_NE(r.err.find("hash chain verified (40 records)"), std::string::npos) << r.err;

  r = run({"audit", "--from", "38"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("\"index\":38,"), std::string::npos);
  EXPECT_EQ(r.out.find("\"index\":37,"), std::string::npos);

  world_.corrupt_audit_hash = true;
  r = run({"audit", "--verify"});
  EXPECT_EQ(r.rc, policyctl::kExitMismatch);
  EXPECT_NE(r.err.find("hash chain broken at record 1"), std::string::npos) << r.err;
  // Without --verify a broken chain is not noticed: still exit 0.
  EXPECT_EQ(run({"audit"}).rc, 0);
}

TEST_F(GuestCommands, AuditReportsRecordsThatFellOff) {
  ucon::EngineConfig cfg;
  cfg.audit_records = 4;
  FakeSecureWorld small(key_, cfg);
  ASSERT_EQ(run_cli({"load", blob_}, small.connector()).rc, 0);
  tzu_decision d;
  for (int i = 0; i < 10; ++i) {
    small.engine().decide(event(TZU_HOOK_DEVMEM_OPEN, 1, 2), &d);
  }
  CliRun r = run_cli({"audit", "--verify"}, small.connector());
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.err.find("records 0..5 fell off the ring"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("\"first_index\":6,\"next_index\":10,\"dropped\":6"), std::string::npos)
      << r.out;
  EXPECT_NE(r.err.find("hash chain verified (4 records)"), std::string::npos) << r.err;
}

TEST_F(GuestCommands, ChallengeAuthorizeThenToken) {
  ASSERT_EQ(run({"load", blob_}).rc, 0);
  const std::string chal = dir_.file("challenge.json");
  CliRun r = run({"challenge", "-o", chal});
  ASSERT_EQ(r.rc, 0) << r.err;
  Json c = Json::parse(read_text(chal));
  EXPECT_EQ(c["nonce"], policyctl::to_hex(world_.nonce, sizeof(world_.nonce)));
  EXPECT_EQ(c["device_id"], policyctl::to_hex(world_.engine().device_id(), 16));
  EXPECT_EQ(c["boot_counter"], 7);
  EXPECT_EQ(c["next_counter"], 0);
  // The host signs; the guest sends.
  const std::string token = dir_.file("t.token");
  r = run({"authorize", "--key", admin_key_, "--challenge", chal, "mode", "permissive", "-o",
           token});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(read_text(token).size(), 2 * sizeof(tzu_auth) + 1);
  // A token for other arguments is refused here, before anything is sent.
  r = run({"mode", "enforce", "--token", token});
  EXPECT_EQ(r.rc, policyctl::kExitError);
  EXPECT_NE(r.err.find("token '" + token + "' was made for other arguments than 'mode enforce'"),
            std::string::npos)
      << r.err;
  r = run({"end-usage", "3", "--token", token});
  EXPECT_NE(r.err.find("authorizes mode, not end-usage 3"), std::string::npos) << r.err;
  r = run({"mode", "permissive", "--token", token});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(world_.engine().mode(), static_cast<std::uint32_t>(TZU_MODE_PERMISSIVE));
  // Used once: the same token again is a replay.
  r = run({"mode", "permissive", "--token", token});
  EXPECT_EQ(r.rc, policyctl::kExitError);
  EXPECT_NE(r.err.find("(TZU_E_REPLAY)"), std::string::npos) << r.err;
  // audit-config and end-usage go the same way.
  EXPECT_EQ(run({"audit-config", "overflow", "fail-closed", "--key", admin_key_}).rc, 0);
  EXPECT_EQ(run({"audit-config", "reset-counters", "--key", admin_key_}).rc, 0);
  r = run({"end-usage", "99", "--key", admin_key_});
  EXPECT_NE(r.err.find("(TZU_E_NOT_FOUND)"), std::string::npos) << r.err;
  EXPECT_EQ(world_.auth_refusals, std::vector<std::uint32_t>({TZU_E_REPLAY}));
}

TEST_F(GuestCommands, ReportSavedAndVerifiedOffTheDevice) {
  ASSERT_EQ(run({"load", blob_}).rc, 0);
  const std::string nonce(64, 'c');
  const std::string rep = dir_.file("r.report");
  CliRun r = run({"report", "--nonce", nonce, "-o", rep, "--device-pub", device_pub_});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("signature: valid"), std::string::npos) << r.out;
  EXPECT_EQ(read_text(rep).size(), sizeof(tzu_report));
  r = run({"verify-report", rep, "--device-pub", device_pub_, "--nonce", nonce, "--json"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["valid"], true);
  // Another nonce: a stale report.
  r = run({"verify-report", rep, "--device-pub", device_pub_, "--nonce", std::string(64, 'd')});
  EXPECT_EQ(r.rc, policyctl::kExitMismatch);
  EXPECT_NE(r.err.find("is not the one asked for"), std::string::npos) << r.err;
}

TEST_F(GuestCommands, AuditFollowDrainsToAFileThatVerifiesAgainstAReport) {
  ucon::EngineConfig cfg;
  cfg.audit_records = 8;  // the ring wraps many times while draining
  FakeSecureWorld small(key_, cfg);
  auto go = [&](std::vector<std::string> argv) { return run_cli(argv, small.connector()); };
  ASSERT_EQ(go({"load", blob_}).rc, 0);
  const std::string log = dir_.file("audit.jsonl");
  tzu_decision d;
  for (int round = 0; round < 10; ++round) {
    for (int i = 0; i < 6; ++i) small.engine().decide(event(TZU_HOOK_DEVMEM_OPEN, 1, 2), &d);
    CliRun r = go({"audit", "--follow", "-o", log, "--count", "6"});
    ASSERT_EQ(r.rc, 0) << r.err;
    EXPECT_EQ(r.err.find("fell off"), std::string::npos) << r.err;
  }
  const std::string rep = dir_.file("a.report");
  ASSERT_EQ(go({"report", "--nonce", std::string(64, '1'), "-o", rep}).rc, 0);
  CliRun r = go({"audit", "--verify", log, "--report", rep, "--device-pub", device_pub_});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, log + ": 60 records in 1 chain, continuous; 60 records up to index 59 "
                         "match the report's signed audit head\n");
  // Drop a line from the middle: a gap the check names.
  std::string text = read_text(log);
  std::size_t a = 0;
  for (int i = 0; i < 30; ++i) a = text.find('\n', a) + 1;
  std::size_t b = text.find('\n', a) + 1;
  const std::string cut = dir_.write("cut.jsonl", text.substr(0, a) + text.substr(b));
  r = go({"audit", "--verify", cut});
  EXPECT_EQ(r.rc, policyctl::kExitMismatch);
  EXPECT_NE(r.err.find("record 31 follows record 29"), std::string::npos) << r.err;
}

TEST_F(GuestCommands, GarbageResponsesAreUnreachable) {
  world_.bad_magic = true;
  CliRun r = run({"status"});
  EXPECT_EQ(r.rc, policyctl::kExitUnreachable);
  EXPECT_NE(r.err.find("response has bad magic 0xdeadbeef"), std::string::npos) << r.err;
}

TEST_F(GuestCommands, ConnectFailureIsUnreachable) {
  auto fail = [](const std::string& dev) -> std::unique_ptr<policyctl::Transport> {
    throw policyctl::TransportError("cannot open " + dev + ": no such device");
  };
  for (const char* c : {"status", "stats", "audit"}) {
    EXPECT_EQ(run_cli({c}, fail).rc, policyctl::kExitUnreachable) << c;
  }
  EXPECT_EQ(run_cli({"load", blob_}, fail).rc, policyctl::kExitUnreachable);
  EXPECT_EQ(run_cli({"mode", "enforce"}, fail).rc, policyctl::kExitUnreachable);
  EXPECT_EQ(run_cli({"attr", "a", "--op", "clear"}, fail).rc, policyctl::kExitUnreachable);
}

TEST(CheckResponse, RejectsMalformedHeaders) {
  auto hdr = [](std::uint32_t magic, std::uint16_t cmd, std::uint32_t size,
                std::uint32_t status, std::size_t total) {
    std::vector<std::uint8_t> b(total, 0);
    tzu_hdr h{magic, TZU_ABI_VERSION, cmd, size, status};
    std::memcpy(b.data(), &h, sizeof(h));
    return b;
  };
  using policyctl::check_response;
  EXPECT_EQ(check_response(hdr(TZU_MAGIC, 6, 16, 0, 16), 6, 16), 16u);
  EXPECT_THROW(check_response(std::vector<std::uint8_t>(8), 6, 16), policyctl::TransportError);
  EXPECT_THROW(check_response(hdr(1, 6, 16, 0, 16), 6, 16), policyctl::TransportError);
  EXPECT_THROW(check_response(hdr(TZU_MAGIC, 5, 16, 0, 16), 6, 16), policyctl::TransportError);
  EXPECT_THROW(check_response(hdr(TZU_MAGIC, 6, 32, 0, 16), 6, 16), policyctl::TransportError);
  EXPECT_THROW(check_response(hdr(TZU_MAGIC, 6, 16, 0, 16), 6, 32), policyctl::TransportError);
  try {
    check_response(hdr(TZU_MAGIC, 6, 16, TZU_E_AUTH, 16), 6, 256);
    ADD_FAILURE();
  } catch (const policyctl::SecureError& e) {
    EXPECT_EQ(e.status(), TZU_E_AUTH);
    EXPECT_STREQ(e.what(), "secure world: signature invalid (TZU_E_AUTH)");
  }
}

}  // namespace
}  // namespace policyctl_test
