// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// admin_test.cc - host side of the authority workflow: keygen files and
// modes, the argument digest that binds every byte of a request (authorize
// and the guest command build the same bytes), tokens, and verify-report.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "admin_auth.h"
#include "admin_request.h"
#include "compiler.h"
#include "ed25519.h"
#include "replay.h"
#include "report_view.h"
#include "test_files.h"

namespace policyctl_test {
namespace {

using policyctl::AdminRequest;
using policyctl::Args;
using policyctl::Json;

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

unsigned mode_of(const std::string& path) {
  struct stat st{};
  EXPECT_EQ(stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

// What `authorize` and the guest commands do with their command line.
AdminRequest build(std::vector<std::string> argv) {
  Args args(argv,
            {policyctl::kAttrOptions[0], policyctl::kAttrOptions[1],
             policyctl::kAttrOptions[2]},
            1, 4);
  std::vector<std::string> ops(args.pos().begin() + 1, args.pos().end());
  return policyctl::build_admin_request(args.pos()[0], ops, args);
}

std::string digest_hex(const AdminRequest& r) {
  auto d = policyctl::args_digest(r);
  return policyctl::to_hex(d.data(), d.size());
}

policyctl::Challenge challenge() {
  policyctl::Challenge c;
  c.device_id.fill(0x11);
  c.nonce.fill(0x22);
  c.boot_counter = 3;
  c.next_counter = 41;
  return c;
}

TEST(Keygen, PrivateKeyIs0600AndNeverOverwritten) {
  TempDir dir;
  const std::string key = dir.file("admin.key");
  CliRun r = run_cli({"keygen", "-o", key});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(mode_of(key), 0600u);
  EXPECT_EQ(mode_of(dir.file("admin.pub")), 0644u);
  EXPECT_EQ(read_text(key).rfind("ed25519-private:", 0), 0u);
  EXPECT_EQ(read_text(dir.file("admin.pub")).rfind("ed25519-public:", 0), 0u);
  const std::string before = read_text(key);
  r = run_cli({"keygen", "-o", key});
  EXPECT_EQ(r.rc, policyctl::kExitError);
  EXPECT_NE(r.err.find("'" + key + "' exists; keys are never overwritten"), std::string::npos)
      << r.err;
  EXPECT_EQ(read_text(key), before);
  // Only the public file exists: refused too, and no private key is left.
  const std::string other = dir.file("other.key");
  dir.write("other.pub", "x\n");
  EXPECT_EQ(run_cli({"keygen", "-o", other}).rc, policyctl::kExitError);
  std::ifstream gone(other);
  EXPECT_FALSE(gone.good());
  // Without the .key suffix the public key gets ".pub" appended.
  ASSERT_EQ(run_cli({"keygen", "-o", dir.file("plain")}).rc, 0);
  EXPECT_EQ(mode_of(dir.file("plain.pub")), 0644u);
}

TEST(AdminRequest, LayoutAndSessionZero) {
  AdminRequest r = build({"mode", "permissive"});
  EXPECT_EQ(r.command, TZU_CMD_SET_MODE);
  ASSERT_EQ(r.bytes.size(), sizeof(tzu_set_mode_req));
  tzu_set_mode_req m;
  std::memcpy(&m, r.bytes.data(), sizeof(m));
  EXPECT_EQ(m.hdr.magic, TZU_MAGIC);
  EXPECT_EQ(m.hdr.size, sizeof(m));
  EXPECT_EQ(m.session, 0u);
  EXPECT_EQ(m.mode, static_cast<std::uint32_t>(TZU_MODE_PERMISSIVE));
  EXPECT_EQ(r.auth_offset(), offsetof(tzu_set_mode_req, auth));
  EXPECT_EQ(build({"attr", "q", "set", "5"}).bytes.size(), sizeof(tzu_update_attr_req));
  EXPECT_EQ(build({"end-usage", "9"}).bytes.size(), sizeof(tzu_end_usage_req));
  EXPECT_EQ(build({"audit-config", "reset-counters"}).bytes.size(),
            sizeof(tzu_audit_config_req));
}

TEST(AdminRequest, EveryArgumentChangesTheDigest) {
  const std::vector<std::vector<std::string>> variants = {
      {"mode", "permissive"},
      {"mode", "enforce"},
      {"attr", "q", "set", "5"},
      {"attr", "q", "set", "6"},
      {"attr", "q", "add", "5"},
      {"attr", "r", "set", "5"},
      {"attr", "q", "set", "5", "--subject-key", "1"},
      {"attr", "q", "set", "5", "--subject-key", "2"},
      {"attr", "q", "clear"},
      {"attr", "s", "insert", "5"},
      {"end-usage", "9"},
      {"end-usage", "10"},
      {"audit-config", "overflow", "drop-oldest"},
      {"audit-config", "overflow", "fail-closed"},
      {"audit-config", "reset-counters"},
  };
  std::set<std::string> seen;
  for (const auto& v : variants) {
    EXPECT_TRUE(seen.insert(digest_hex(build(v))).second) << ::testing::PrintToString(v);
  }
  // The same arguments, however written, give the same bytes and digest.
  EXPECT_EQ(build({"attr", "q", "set", "5"}).bytes,
            build({"attr", "q", "--op", "set", "--value", "5"}).bytes);
  EXPECT_EQ(digest_hex(build({"attr", "q", "set", "0x10"})),
            digest_hex(build({"attr", "q", "set", "16"})));
  // The session field is not an argument (authority never comes from it).
  AdminRequest a = build({"mode", "permissive"});
  AdminRequest b = a;
  b.bytes[16] = 5;
  EXPECT_EQ(digest_hex(a), digest_hex(b));
  // Any byte between the session and the auth is.
  for (std::size_t i = TZU_AUTH_ARGS_OFFSET; i < a.auth_offset(); ++i) {
    AdminRequest c = a;
    c.bytes[i] ^= 1;
    EXPECT_NE(digest_hex(a), digest_hex(c)) << i;
  }
}

TEST(AdminRequest, UsageErrors) {
  EXPECT_THROW(build({"mode", "off"}), policyctl::UsageError);
  EXPECT_THROW(build({"attr", "q", "set"}), policyctl::UsageError);
  EXPECT_THROW(build({"attr", "q", "clear", "1"}), policyctl::UsageError);
  EXPECT_THROW(build({"attr", "q", "frob", "1"}), policyctl::UsageError);
  EXPECT_THROW(build({"end-usage", "0"}), policyctl::UsageError);
  EXPECT_THROW(build({"audit-config", "overflow", "block"}), policyctl::UsageError);
  EXPECT_THROW(build({"reboot"}), policyctl::UsageError);
}

TEST(AdminAuth, SignedFieldsAndSignature) {
  const policyc::KeyPair kp = policyc::key_pair_from_seed(std::vector<std::uint8_t>(32, 7).data());
  AdminRequest r = build({"attr", "q", "set", "5"});
  tzu_auth a = policyctl::sign_auth(r, challenge(), kp.seed.data(), kp.pub.data());
  EXPECT_EQ(a.magic, TZU_AUTH_MAGIC);
  EXPECT_EQ(a.version, TZU_AUTH_VERSION);
  EXPECT_EQ(a.command, TZU_CMD_UPDATE_ATTR);
  EXPECT_EQ(a.counter, 41u);
  EXPECT_EQ(a.device_id[0], 0x11);
  EXPECT_EQ(a.nonce[31], 0x22);
  EXPECT_EQ(policyctl::to_hex(a.args_sha256, 32), digest_hex(r));
  EXPECT_TRUE(policyctl::auth_signature_ok(a, kp.pub.data()));
  // Every signed byte matters.
  for (std::size_t i = 0; i < offsetof(tzu_auth, signature); ++i) {
    tzu_auth t = a;
    reinterpret_cast<std::uint8_t*>(&t)[i] ^= 0x40;
    EXPECT_FALSE(policyctl::auth_signature_ok(t, kp.pub.data())) << i;
  }
  tzu_auth back;
  ASSERT_TRUE(policyctl::token_from_text(" " + policyctl::token_to_text(a) + "\n", &back));
  EXPECT_EQ(std::memcmp(&a, &back, sizeof(a)), 0);
  EXPECT_FALSE(policyctl::token_from_text("abcd", &back));
}

TEST(Authorize, TokenBindsWhatTheGuestCommandSends) {
  TempDir dir;
  std::string err;
  const policyc::KeyPair kp = policyc::key_pair_from_seed(std::vector<std::uint8_t>(32, 9).data());
  ASSERT_TRUE(policyc::write_key_pair(dir.file("admin.key"), dir.file("admin.pub"), kp, &err));
  const std::string chal =
      dir.write("c.json", policyctl::dump(policyctl::challenge_to_json(challenge())));
  CliRun r = run_cli({"authorize", "--key", dir.file("admin.key"), "--challenge", chal, "attr",
                      "key_quota", "set", "3", "--subject-key", "4", "-o", dir.file("t"),
                      "--json"});
  ASSERT_EQ(r.rc, 0) << r.err;
  tzu_auth a;
  ASSERT_TRUE(policyctl::token_from_text(read_text(dir.file("t")), &a));
  EXPECT_TRUE(policyctl::auth_signature_ok(a, kp.pub.data()));
  EXPECT_EQ(a.counter, 41u);
  // The guest command's request: same digest.
  AdminRequest guest = build({"attr", "key_quota", "set", "3", "--subject-key", "4"});
  EXPECT_EQ(policyctl::to_hex(a.args_sha256, 32), digest_hex(guest));
  EXPECT_EQ(Json::parse(r.out)["args_sha256"], digest_hex(guest));
  EXPECT_NE(policyctl::to_hex(a.args_sha256, 32),
            digest_hex(build({"attr", "key_quota", "set", "4", "--subject-key", "4"})));
  // A malformed challenge names the key.
  const std::string bad = dir.write("bad.json", R"({"device_id":"00","nonce":"","boot_counter":1,"next_counter":1})");
  r = run_cli({"authorize", "--key", dir.file("admin.key"), "--challenge", bad, "mode",
               "enforce", "-o", dir.file("t2")});
  EXPECT_EQ(r.rc, policyctl::kExitError);
  EXPECT_NE(r.err.find("challenge: \"device_id\" must be 32 hex digits"), std::string::npos)
      << r.err;
}

std::string repeat_hex(const std::string& byte, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += byte;
  return out;
}

tzu_report signed_report(const policyc::KeyPair& dk) {
  tzu_report rep{};
  rep.magic = TZU_REPORT_MAGIC;
  rep.version = TZU_REPORT_VERSION;
  policyc::DeviceId id = policyc::device_id_of(dk.pub);
  std::memcpy(rep.device_id, id.data(), id.size());
  std::memset(rep.nonce, 0x5a, sizeof(rep.nonce));
  rep.policy_version = 4;
  rep.audit_next_index = 12;
  auto* b = reinterpret_cast<std::uint8_t*>(&rep);
  ucon::ed25519_sign(dk.seed.data(), dk.pub.data(), b + 16, offsetof(tzu_report, signature) - 16,
                     rep.signature);
  return rep;
}

TEST(VerifyReport, AcceptsAndRejectsAnyFlippedByte) {
  TempDir dir;
  const policyc::KeyPair dk = policyc::key_pair_from_seed(std::vector<std::uint8_t>(32, 4).data());
  const std::string pub = dir.write("device.pub", policyc::public_key_text(dk.pub));
  tzu_report rep = signed_report(dk);
  const std::string path = dir.write("r", std::string(reinterpret_cast<char*>(&rep), sizeof(rep)));
  CliRun r = run_cli({"verify-report", path, "--device-pub", pub, "--nonce", repeat_hex("5a", 32)});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("policy_version: 4"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("signature: valid"), std::string::npos) << r.out;
  // Flip one byte anywhere in the signed range or the signature: invalid.
  for (std::size_t i : {std::size_t{16}, std::size_t{20}, offsetof(tzu_report, nonce),
                        offsetof(tzu_report, audit_head), offsetof(tzu_report, signature) - 1,
                        offsetof(tzu_report, signature), sizeof(tzu_report) - 1}) {
    tzu_report t = rep;
    reinterpret_cast<std::uint8_t*>(&t)[i] ^= 1;
    const std::string p = dir.write("f", std::string(reinterpret_cast<char*>(&t), sizeof(t)));
    r = run_cli({"verify-report", p, "--device-pub", pub});
    EXPECT_EQ(r.rc, policyctl::kExitMismatch) << i;
    EXPECT_NE(r.err.find("does not verify"), std::string::npos) << r.err;
  }
  // The header is not signed (the transport fills it).
  tzu_report t = rep;
  t.hdr.status = 0;
  t.hdr.size = 1;
  EXPECT_EQ(policyctl::report_problem(t, dk.pub.data(), nullptr), "");
  // Another device's key, a truncated file.
  const policyc::KeyPair other = policyc::key_pair_from_seed(std::vector<std::uint8_t>(32, 5).data());
  EXPECT_EQ(policyctl::report_problem(rep, other.pub.data(), nullptr),
            "signature does not verify with this device key");
  const std::string shortp = dir.write("s", std::string(reinterpret_cast<char*>(&rep), 100));
  r = run_cli({"verify-report", shortp, "--device-pub", pub});
  EXPECT_EQ(r.rc, policyctl::kExitMismatch);
  EXPECT_NE(r.err.find("a report has " + std::to_string(sizeof(tzu_report)) + " bytes, not 100"),
            std::string::npos)
      << r.err;
}

TEST(HostDevice, ReplayAndCompilerAgree) {
  EXPECT_EQ(std::memcmp(policyctl::kHostDeviceId, policyc::kHostTestDevice.data(), 16), 0);
}

}  // namespace
}  // namespace policyctl_test
