// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// round_trip_test.cc - each shipped policy compiled, loaded into the real
// engine (Ed25519 check + blob decoder) and asked for decisions that show its
// stated intent.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "attributes.h"
#include "compiler.h"
#include "engine.h"
#include "test_util.h"
#include "tzucon_abi.h"

namespace {

class RoundTrip : public ::testing::Test {
 protected:
  void load(const std::string& file) {
    ucon::EngineConfig cfg;
    arena_.assign(ucon::Engine::arena_bytes(cfg) / 8 + 1, 0);
    policyc::Key key = policyc_test::test_key();
    ASSERT_EQ(engine_.init(arena_.data(), arena_.size() * 8, cfg, policyc_test::test_pub().data(),
                           policyc::kHostTestDevice.data()),
              ucon::Status::kOk);
    policyc::CompileResult r = policyc::compile(
        policyc_test::read_file(std::string(TZUCON_POLICY_DIR) + "/" + file), &key);
    ASSERT_TRUE(r.ok) << ::testing::PrintToString(policyc_test::errors_of(r));
    ucon::LoadResult lr;
    ASSERT_EQ(engine_.load_policy(r.blob.data(), r.blob.size(), &lr), ucon::Status::kOk);
    EXPECT_EQ(lr.n_rules, r.rules.size());
    EXPECT_EQ(lr.policy_version, r.policy_version);
  }

  static tzu_event event(std::uint32_t hook) {
    tzu_event ev{};
    ev.hdr.magic = TZU_MAGIC;
    ev.hdr.version = TZU_ABI_VERSION;
    ev.hdr.command = TZU_CMD_DECIDE;
    ev.hdr.size = sizeof(ev);
    ev.hook = hook;
    ev.subject.pid = ev.subject.tgid = 100;
    ev.subject.uid = ev.subject.euid = 1000;
    ev.subject.exe_dev = 8;
    ev.subject.exe_ino = 4242;
    std::strcpy(ev.subject.comm, "app");
    return ev;
  }

  tzu_decision decide(const tzu_event& ev) {
    tzu_decision d{};
    EXPECT_EQ(engine_.decide(ev, &d), ucon::Status::kOk);
    return d;
  }

  // verdict and deciding rule (0 = policy default)
  void expect(const tzu_event& ev, std::uint32_t verdict, std::uint32_t rule_id) {
    tzu_decision d = decide(ev);
    EXPECT_EQ(d.verdict, verdict) << "hook " << ev.hook;
    EXPECT_EQ(d.rule_id, rule_id) << "hook " << ev.hook;
  }

  // An authorized admin write (the shipped policies declare these "admin").
  ucon::Revocations set_attr(const char* name, std::uint64_t key, std::int64_t value) {
    ucon::Revocations rev;
    std::int64_t now = 0;
    EXPECT_EQ(engine_.update_attr(name, std::strlen(name), TZU_ATTR_OP_SET, key, value,
                                  &now, &rev),
              ucon::Status::kOk);
    EXPECT_EQ(now, value);
    return rev;
  }
  // The secure world's own measurement ("writer": "secure").
  ucon::Revocations measure(const char* name, std::int64_t value) {
    ucon::Revocations rev;
    EXPECT_EQ(engine_.set_secure_attr(name, std::strlen(name), value, &rev), ucon::Status::kOk);
    return rev;
  }

  std::vector<std::uint64_t> arena_;  // 8-byte aligned
  ucon::Engine engine_;
};

constexpr std::uint32_t kAllow = TZU_VERDICT_ALLOW;
constexpr std::uint32_t kDeny = TZU_VERDICT_DENY;

TEST_F(RoundTrip, NoWxMemory) {
  load("no-wx-memory.json");
  tzu_event wx = event(TZU_HOOK_MMAP_FILE);
  wx.object.prot = TZU_PROT_READ | TZU_PROT_WRITE | TZU_PROT_EXEC;
  expect(wx, kDeny, 10);
  tzu_event rx = event(TZU_HOOK_MMAP_FILE);
  rx.object.prot = TZU_PROT_READ | TZU_PROT_EXEC;
  tzu_decision d = decide(rx);
  EXPECT_EQ(d.verdict, kAllow);
  EXPECT_TRUE(d.flags & TZU_DF_DEFAULT);
  tzu_event w_to_x = event(TZU_HOOK_FILE_MPROTECT);
  w_to_x.object.old_prot = TZU_PROT_READ | TZU_PROT_WRITE;
  w_to_x.object.prot = TZU_PROT_READ | TZU_PROT_EXEC;
  expect(w_to_x, kDeny, 20);
  tzu_event r_to_x = w_to_x;
  r_to_x.object.old_prot = TZU_PROT_READ;
  expect(r_to_x, kAllow, 0);
  // The two-step bypass (RW, code written, R, then R -> RX): the old
  // protection is R, but the kernel flags the memory written; rule 20 still
  // decides when both match (it comes first).
  tzu_event written = r_to_x;
  written.flags = TZU_EVF_WRITTEN | TZU_EVF_ANON;
  expect(written, kDeny, 25);
  tzu_event w_to_x_written = w_to_x;
  w_to_x_written.flags = TZU_EVF_WRITTEN;
  expect(w_to_x_written, kDeny, 20);
  tzu_event written_r = written;  // written memory staying non-executable
  written_r.object.prot = TZU_PROT_READ;
  expect(written_r, kAllow, 0);

  // Allow-list this executable as a JIT (its key as the engine computes it
  // from exe_dev, exe_ino and exe_gen; attributes.h).
  set_attr("jit_allowed", ucon::exe_key(wx.subject), 1);
  d = decide(wx);
  EXPECT_EQ(d.verdict, kAllow);
  EXPECT_EQ(d.rule_id, 40u);
  EXPECT_TRUE(d.obligations & TZU_OBL_AUDIT);
  expect(w_to_x, kAllow, 50);
  expect(written, kAllow, 50);
  tzu_event other = wx;
  other.subject.exe_ino = 4243;
  expect(other, kDeny, 10);
}

TEST_F(RoundTrip, ModuleAllowlist) {
  load("module-allowlist.json");
  static const std::uint8_t kEmptySha256[32] = {
      0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4,
      0xc8, 0x99, 0x6f, 0xb9, 0x24, 0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b,
      0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55};
  tzu_event listed = event(TZU_HOOK_KERNEL_READ_FILE);
  listed.flags = TZU_EVF_OBJ_DIGEST;
  listed.object.kind = TZU_LOAD_MODULE;
  std::memcpy(listed.object.sha256, kEmptySha256, 32);
  expect(listed, kAllow, 0);
  tzu_event no_digest = listed;
  no_digest.flags = 0;
  expect(no_digest, kDeny, 10);
  tzu_event unlisted = listed;
  unlisted.object.sha256[0] ^= 1;
  expect(unlisted, kDeny, 10);
  tzu_event firmware = unlisted;
  firmware.object.kind = TZU_LOAD_FIRMWARE;
  expect(firmware, kAllow, 0);
  tzu_event data = unlisted;
  data.hook = TZU_HOOK_KERNEL_LOAD_DATA;
  expect(data, kDeny, 20);
  tzu_event req = event(TZU_HOOK_MODULE_REQUEST);
  std::strcpy(req.object.name, "crypto-aes");
  tzu_decision d = decide(req);
  EXPECT_EQ(d.verdict, kAllow);
  EXPECT_EQ(d.rule_id, 30u);
  EXPECT_TRUE(d.obligations & TZU_OBL_AUDIT);
}

TEST_F(RoundTrip, KernelIntegrity) {
  load("kernel-integrity.json");
  tzu_event mem = event(TZU_HOOK_DEVMEM_OPEN);
  mem.object.flags = 2;  // O_RDWR
  expect(mem, kDeny, 10);
  mem.object.flags = 0;  // O_RDONLY
  expect(mem, kAllow, 0);
  tzu_event kexec = event(TZU_HOOK_KERNEL_READ_FILE);
  kexec.object.kind = TZU_LOAD_KEXEC_IMAGE;
  expect(kexec, kDeny, 20);
  kexec.hook = TZU_HOOK_KERNEL_LOAD_DATA;
  expect(kexec, kDeny, 21);
  tzu_event bpf = event(TZU_HOOK_BPF_PROG_LOAD);
  expect(bpf, kDeny, 30);
  bpf.subject.euid = 0;
  expect(bpf, kAllow, 0);

  tzu_event key = event(TZU_HOOK_KEY_ALLOC);
  key.object.id = 55;
  tzu_decision opened = decide(key);
  EXPECT_EQ(opened.verdict, kAllow);
  EXPECT_EQ(opened.rule_id, 51u);
  ASSERT_TRUE(opened.flags & TZU_DF_SESSION_OPENED);
  tzu_event module = event(TZU_HOOK_KERNEL_READ_FILE);
  module.object.kind = TZU_LOAD_MODULE;
  expect(module, kAllow, 0);

  // The secure world records a violation: key sessions are revoked...
  ucon::Revocations rev = measure("integrity_state", TZU_INTEGRITY_VIOLATED);
  ASSERT_EQ(rev.n, 1u);
  EXPECT_EQ(rev.ids[0], opened.session_id);
  EXPECT_EQ(rev.reason, TZU_REVOKE_ONGOING);
  // ...and module loads and new keys are refused.
  tzu_decision d = decide(module);
  EXPECT_EQ(d.verdict, kDeny);
  EXPECT_EQ(d.rule_id, 40u);
  EXPECT_TRUE(d.obligations & TZU_OBL_REMEASURE);
  module.hook = TZU_HOOK_KERNEL_LOAD_DATA;
  expect(module, kDeny, 41);
  expect(key, kDeny, 50);
  tzu_stats st{};
  engine_.stats(&st);
  EXPECT_EQ(st.integrity_state, TZU_INTEGRITY_VIOLATED);
}

// Executable anonymous memory is held in one usage session per process,
// revoked with the process's tgid (for the kernel to kill) when the state
// becomes degraded; a violation is handled alike (corpus integrity_reaction).
TEST_F(RoundTrip, KernelIntegrityExecAnonSessions) {
  load("kernel-integrity.json");
  EXPECT_EQ(measure("integrity_state", TZU_INTEGRITY_OK).n, 0u);
  tzu_event jit = event(TZU_HOOK_MMAP_FILE);
  jit.subject.pid = jit.subject.tgid = 321;
  jit.flags = TZU_EVF_ANON;
  jit.object.prot = TZU_PROT_READ | TZU_PROT_EXEC;
  tzu_decision first = decide(jit);
  EXPECT_EQ(first.verdict, kAllow);
  EXPECT_EQ(first.rule_id, 62u);
  ASSERT_TRUE(first.flags & TZU_DF_SESSION_OPENED);
  tzu_decision again = decide(jit);  // the same process: no second session
  EXPECT_EQ(again.rule_id, 0u);
  EXPECT_FALSE(again.flags & TZU_DF_SESSION_OPENED);
  tzu_event flip = event(TZU_HOOK_FILE_MPROTECT);
  flip.subject.pid = flip.subject.tgid = 654;
  flip.flags = TZU_EVF_ANON;
  flip.object.prot = TZU_PROT_READ | TZU_PROT_EXEC;
  flip.object.old_prot = TZU_PROT_READ;
  tzu_decision flipped = decide(flip);
  EXPECT_EQ(flipped.rule_id, 63u);
  ASSERT_TRUE(flipped.flags & TZU_DF_SESSION_OPENED);
  tzu_event file_exec = jit;  // a file-backed executable mapping is not anonymous
  file_exec.flags = 0;
  expect(file_exec, kAllow, 0);

  ucon::Revocations rev = measure("integrity_state", TZU_INTEGRITY_DEGRADED);
  ASSERT_EQ(rev.n, 2u);
  EXPECT_EQ(rev.reason, TZU_REVOKE_ONGOING);
  EXPECT_EQ(rev.ids[0], first.session_id);
  EXPECT_EQ(rev.tgids[0], 321u);
  EXPECT_EQ(rev.ids[1], flipped.session_id);
  EXPECT_EQ(rev.tgids[1], 654u);
  expect(jit, kDeny, 60);
  expect(flip, kDeny, 61);
  expect(file_exec, kAllow, 0);
  tzu_event module = event(TZU_HOOK_KERNEL_LOAD_DATA);
  module.object.kind = TZU_LOAD_MODULE;
  expect(module, kDeny, 41);
}

// The boot policy treats degraded like violated for keys.
TEST_F(RoundTrip, BootPolicyRevokesKeysWhenDegraded) {
  load("boot.json");
  tzu_event key = event(TZU_HOOK_KEY_ALLOC);
  key.object.id = 9;
  tzu_decision opened = decide(key);
  ASSERT_TRUE(opened.flags & TZU_DF_SESSION_OPENED);
  EXPECT_EQ(measure("integrity_state", TZU_INTEGRITY_OK).n, 0u);
  ucon::Revocations rev = measure("integrity_state", TZU_INTEGRITY_DEGRADED);
  ASSERT_EQ(rev.n, 1u);
  EXPECT_EQ(rev.ids[0], opened.session_id);
  expect(key, kDeny, 50);
}

TEST_F(RoundTrip, CryptoKeys) {
  load("crypto-keys.json");
  tzu_event alloc = event(TZU_HOOK_KEY_ALLOC);
  alloc.object.id = 77;
  expect(alloc, kAllow, 10);
  tzu_event use = event(TZU_HOOK_KEY_PERMISSION);
  use.object.id = 77;
  expect(use, kAllow, 40);
  tzu_event foreign = use;
  foreign.subject.exe_ino = 9999;
  foreign.subject.tgid = 200;
  expect(foreign, kDeny, 30);
  foreign.subject.exe_ino = 4242;
  foreign.subject.exe_dev = 9;
  expect(foreign, kDeny, 30);
  tzu_event unowned = foreign;
  unowned.object.id = 78;
  expect(unowned, kAllow, 40);

  // Quota of 3 uses per process (one already spent above).
  set_attr("key_quota", 0, 3);
  expect(use, kAllow, 40);
  expect(use, kAllow, 40);
  tzu_decision d = decide(use);
  EXPECT_EQ(d.verdict, kDeny);
  EXPECT_EQ(d.rule_id, 20u);
  EXPECT_TRUE(d.obligations & TZU_OBL_NOTIFY);
  EXPECT_EQ(d.notify_code, 1u);
  // The count is per process and dies with it.
  tzu_event exit_ev = event(TZU_HOOK_TASK_EXIT);
  decide(exit_ev);
  expect(use, kAllow, 40);

  tzu_event bind = event(TZU_HOOK_ALG_BIND);
  std::strcpy(bind.object.type, "hash");
  std::strcpy(bind.object.name, "sha256");
  expect(bind, kAllow, 0);
  std::strcpy(bind.object.name, "md5");
  expect(bind, kDeny, 50);
  std::strcpy(bind.object.name, "cbc(aes)");
  expect(bind, kDeny, 50);
  std::strcpy(bind.object.type, "skcipher");
  expect(bind, kAllow, 0);
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// The compiler's limits are exactly the decoder's: what it accepts at the
// boundary loads, one past the boundary it rejects.
TEST_F(RoundTrip, LimitsAgreeWithTheDecoder) {
  ucon::EngineConfig cfg;
  arena_.assign(ucon::Engine::arena_bytes(cfg) / 8 + 1, 0);
  policyc::Key key = policyc_test::test_key();
  ASSERT_EQ(engine_.init(arena_.data(), arena_.size() * 8, cfg, policyc_test::test_pub().data(),
                           policyc::kHostTestDevice.data()),
            ucon::Status::kOk);
  std::string members;
  for (int i = 0; i < 64; ++i) members += (i ? "," : "") + std::to_string(i);
  std::string updates = repeat(R"({"attr":"n","op":"add","value":1},)", 15) +
                        R"({"attr":"n","op":"add","value":1})";
  auto text = [&](int nots, const std::string& leaf) {
    return policyc_test::policy(
        R"({"id":1,"name":"r","hook":"mmap_file","effect":"deny","when":)" +
            repeat(R"({"not":)", nots) + leaf + repeat("}", nots) +
            R"(},{"id":2,"name":"s","hook":"key_alloc","effect":"deny","when":{"field":"subject.uid","in":[)" +
            members + R"(]},"pre_update":[)" + updates +
            R"(]},{"id":3,"name":"t","hook":"alg_bind","effect":"deny","when":{"field":"object.name","eq":")" +
            std::string(63, 'x') + R"("}})",
        R"({"n":{"scope":"global"}})");
  };
  // 31 "not" + the comparison = depth 32 = kMaxExprDepth.
  policyc::CompileResult r = policyc::compile(text(31, R"({"attr":"n","present":true})"), &key);
  ASSERT_TRUE(r.ok) << ::testing::PrintToString(policyc_test::errors_of(r));
  ucon::LoadResult lr;
  EXPECT_EQ(engine_.load_policy(r.blob.data(), r.blob.size(), &lr), ucon::Status::kOk);
  // "present": false adds a hidden "not": one level too many.
  r = policyc::compile(text(31, R"({"attr":"n","present":false})"), &key);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message, "predicate nested deeper than 32 levels");
  r = policyc::compile(text(32, "true"), &key);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message, "predicate nested deeper than 32 levels");
}

TEST_F(RoundTrip, TamperedBlobIsRejected) {
  ucon::EngineConfig cfg;
  arena_.assign(ucon::Engine::arena_bytes(cfg) / 8 + 1, 0);
  policyc::Key key = policyc_test::test_key();
  ASSERT_EQ(engine_.init(arena_.data(), arena_.size() * 8, cfg, policyc_test::test_pub().data(),
                           policyc::kHostTestDevice.data()),
            ucon::Status::kOk);
  policyc::CompileResult r = policyc::compile(
      policyc_test::read_file(std::string(TZUCON_POLICY_DIR) + "/no-wx-memory.json"), &key);
  ASSERT_TRUE(r.ok);
  r.blob[100] ^= 1;
  ucon::LoadResult lr;
  EXPECT_EQ(engine_.load_policy(r.blob.data(), r.blob.size(), &lr), ucon::Status::kAuth);
}

// The shipped policies leave who writes what to nobody but the declared
// writer: rules cannot be bypassed from outside, measurements cannot be
// overwritten by an administrator.
TEST_F(RoundTrip, ShippedWritersHoldInTheEngine) {
  load("kernel-integrity.json");
  std::int64_t now = 0;
  ucon::Revocations rev;
  const char kIntegrity[] = "integrity_state";
  EXPECT_EQ(engine_.update_attr(kIntegrity, sizeof(kIntegrity) - 1, TZU_ATTR_OP_SET, 0,
                                TZU_INTEGRITY_OK, &now, &rev),
            ucon::Status::kNotWritable);
  load("crypto-keys.json");
  const char kUses[] = "key_uses";
  EXPECT_EQ(engine_.update_attr(kUses, sizeof(kUses) - 1, TZU_ATTR_OP_CLEAR, 42, 0, &now, &rev),
            ucon::Status::kNotWritable);
}

// A blob bound to one device does not load on another; "any" loads anywhere.
TEST_F(RoundTrip, DeviceBinding) {
  ucon::EngineConfig cfg;
  arena_.assign(ucon::Engine::arena_bytes(cfg) / 8 + 1, 0);
  const policyc::DeviceId other = {1, 2, 3};
  ASSERT_EQ(engine_.init(arena_.data(), arena_.size() * 8, cfg, policyc_test::test_pub().data(),
                         other.data()),
            ucon::Status::kOk);
  policyc::KeyPair kp = policyc_test::test_key_pair();
  policyc::CompileOptions opts;
  opts.key = &kp;
  opts.device = policyc::kHostTestDevice;
  policyc::CompileResult r = policyc::compile(policyc_test::policy(""), opts);
  ASSERT_TRUE(r.ok);
  ucon::LoadResult lr;
  EXPECT_EQ(engine_.load_policy(r.blob.data(), r.blob.size(), &lr), ucon::Status::kWrongDevice);
  opts.device = other;
  r = policyc::compile(policyc_test::policy(""), opts);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(engine_.load_policy(r.blob.data(), r.blob.size(), &lr), ucon::Status::kOk);
  opts.device.reset();
  r = policyc::compile(policyc_test::policy("", "", R"("device":"any",)"), opts);
  ASSERT_TRUE(r.ok);
  // A fresh engine (same version 1 would be a rollback on this one).
  ASSERT_EQ(engine_.init(arena_.data(), arena_.size() * 8, cfg, policyc_test::test_pub().data(),
                         other.data()),
            ucon::Status::kOk);
  EXPECT_EQ(engine_.load_policy(r.blob.data(), r.blob.size(), &lr), ucon::Status::kOk);
}

}  // namespace
