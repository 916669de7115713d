// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// integrity_test.cc - `policyctl integrity status|check`, report v2's
// integrity fields and the integrity audit records' decoding, against the
// in-process secure world (fake_secure_world.h).
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "compiler.h"
#include "event_json.h"
#include "fake_secure_world.h"
#include "integrity_names.h"
#include "test_files.h"

namespace policyctl_test {
namespace {

using policyctl::Json;

tzu_integrity_region region(const char* name, std::uint32_t kind, std::uint32_t va,
                            std::uint32_t len, std::uint32_t flags) {
  tzu_integrity_region r{};
  r.kind = kind;
  r.flags = flags;
  r.va = va;
  r.len = len;
  r.first_offset = ~0u;
  std::strncpy(r.name, name, sizeof(r.name) - 1);
  return r;
}

class Integrity : public ::testing::Test {
 protected:
  Integrity() : world_(policyc::Key(32, 0x42)) {
    tzu_integrity_status& s = world_.integrity;
    s.state = TZU_INTEGRITY_OK;
    s.flags = TZU_IS_MANIFEST | TZU_IS_REGISTERED | TZU_IS_SEALED | TZU_IS_TIMER;
    s.period_us = 10000;
    s.chunk_bytes = 65536;
    s.heartbeat_ms = 100;
    s.heartbeat_timeout_ms = 300;
    s.now_us = 5250000;
    s.ticks = 512;
    s.passes = 12;
    s.mismatches = 0;
    s.bytes_total = 8650752;
    s.bytes_compared = 33554432;
    s.last_pass_us = 5200000;
    s.pass_us = 180000;
    s.heartbeats = 40;
    s.last_heartbeat_us = 5170000;
    s.kernel_decisions = 1234;
    s.secure_decisions = 1236;
    for (std::size_t i = 0; i < sizeof(s.manifest_sha256); ++i) {
      s.manifest_sha256[i] = static_cast<std::uint8_t>(i);
    }
    world_.regions = {
        region("text", TZU_IREG_TEXT, 0xc0008000u, 0x00700000u,
               TZU_IRF_BASELINED | TZU_IRF_EXPECTED),
        region("e2e_mod", TZU_IREG_MODULE, 0xbf000000u, 0x2000u, TZU_IRF_BASELINED),
    };
  }

  CliRun run(std::vector<std::string> argv) { return run_cli(argv, world_.connector()); }

  Json json(std::vector<std::string> argv) {
    CliRun r = run(argv);
    EXPECT_EQ(r.rc, 0) << r.err;
    return r.rc == 0 ? Json::parse(r.out) : Json();
  }

  TempDir dir_;
  FakeSecureWorld world_;
};

TEST_F(Integrity, StatusJsonHasEveryField) {
  Json j = json({"integrity", "status", "--json"});
  EXPECT_EQ(world_.commands, std::vector<std::uint32_t>{TZU_CMD_INTEGRITY_STATUS});
  EXPECT_TRUE(world_.request_errors.empty()) << world_.request_errors[0];
  EXPECT_EQ(j["state"], "ok");
  EXPECT_EQ(j["flags"], Json::array({"manifest", "registered", "sealed", "timer"}));
  EXPECT_EQ(j["period_us"], 10000);
  EXPECT_EQ(j["chunk_bytes"], 65536);
  EXPECT_EQ(j["heartbeat_ms"], 100);
  EXPECT_EQ(j["heartbeat_timeout_ms"], 300);
  EXPECT_EQ(j["passes"], 12);
  EXPECT_EQ(j["mismatches"], 0);
  EXPECT_EQ(j["bytes_total"], 8650752);
  EXPECT_EQ(j["last_pass_age_us"], 50000);
  EXPECT_EQ(j["pass_us"], 180000);
  EXPECT_EQ(j["heartbeat_age_us"], 80000);
  EXPECT_EQ(j["kernel_decisions"], 1234);
  EXPECT_EQ(j["secure_decisions"], 1236);
  EXPECT_EQ(j["manifest_sha256"],
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  ASSERT_EQ(j["regions"].size(), 2u);
  EXPECT_EQ(j["regions"][0], Json::parse(R"({"name":"text","kind":"text","va":3221258240,
      "len":7340032,"flags":["baselined","expected"],"mismatches":0,"first_offset":null})"));
  EXPECT_EQ(j["regions"][1]["name"], "e2e_mod");
  EXPECT_EQ(j["regions"][1]["kind"], "module");
}

TEST_F(Integrity, StatusText) {
  world_.regions[1].flags |= TZU_IRF_DIRTY;
  world_.regions[1].mismatches = 1;
  world_.regions[1].first_offset = 0x44;
  CliRun r = run({"integrity", "status"});
  ASSERT_EQ(r.rc, 0) << r.err;
  for (const char* want : {
           "state:           ok\n",
           "flags:           manifest,registered,sealed,timer\n",
           "period:          10000 us per tick, 65536 bytes per tick\n",
           "heartbeat:       every 100 ms, timeout 300 ms; last 0.080 s ago (40 received)\n",
           "last full pass:  0.050 s ago, took 180000 us\n",
           "passes:          12 (512 ticks)\n",
           "mismatches:      0\n",
           "bytes per pass:  8650752 (33554432 compared since boot)\n",
           "decisions:       kernel 1234 (last heartbeat), secure 1236\n",
           "regions:         2\n",
           "  text             text          va 0xc0008000 len 0x00700000 mismatches 0 "
           "first_offset - flags baselined,expected\n",
           "  e2e_mod          module        va 0xbf000000 len 0x00002000 mismatches 1 "
           "first_offset 0x00000044 flags baselined,dirty\n",
       }) {
    EXPECT_NE(r.out.find(want), std::string::npos) << "missing: " << want << "in:\n" << r.out;
  }
}

TEST_F(Integrity, CheckRunsAFullPassFirst) {
  Json j = json({"integrity", "check", "--json"});
  EXPECT_EQ(world_.commands, std::vector<std::uint32_t>{TZU_CMD_INTEGRITY_CHECK});
  EXPECT_EQ(j["passes"], 13);
  EXPECT_EQ(j["last_pass_age_us"], 0);
}

// A query: exit 0 whatever the state; the state is in the output.
TEST_F(Integrity, EveryStateExitsZeroAndIsNamed) {
  const char* names[] = {"unknown", "ok", "violated", "degraded", "invalid"};
  for (std::uint32_t st = 0; st < 5; ++st) {
    world_.integrity.state = st;
    Json j = json({"integrity", "status", "--json"});
    EXPECT_EQ(j["state"], names[st]);
  }
}

TEST_F(Integrity, NeverHappenedIsNullAndUnknownFlagsStayVisible) {
  world_.integrity.state = TZU_INTEGRITY_DEGRADED;
  world_.integrity.flags = TZU_IS_HEARTBEAT_LOST | 0x4000u;
  world_.integrity.last_pass_us = 0;
  world_.integrity.last_heartbeat_us = 0;
  world_.regions.clear();
  Json j = json({"integrity", "status", "--json"});
  EXPECT_EQ(j["flags"], Json::array({"heartbeat_lost", "0x4000"}));
  EXPECT_TRUE(j["last_pass_age_us"].is_null());
  EXPECT_TRUE(j["heartbeat_age_us"].is_null());
  EXPECT_EQ(j["regions"], Json::array());
  CliRun r = run({"integrity", "status"});
  EXPECT_NE(r.out.find("last full pass:  never\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("; last never (40 received)"), std::string::npos) << r.out;
}

TEST_F(Integrity, RegionNameWithoutNulIsCutAtTheArray) {
  tzu_integrity_region full = region("", TZU_IREG_MODULE, 0, 0x1000, 0);
  std::memset(full.name, 'm', sizeof(full.name));
  world_.regions = {full};
  Json j = json({"integrity", "status", "--json"});
  EXPECT_EQ(j["regions"][0]["name"], std::string(sizeof(full.name), 'm'));
}

// The reply is variable-length: its size must be exactly the header plus
// n_regions entries, and n_regions bounded; anything else is malformed.
TEST_F(Integrity, MalformedRepliesAreRefused) {
  struct Case {
    std::uint32_t claimed;
    std::int32_t delta;
    const char* err;
  } cases[] = {
      {3, 0, "integrity status of 312 bytes for 3 regions, expected 368"},
      {1, 0, "integrity status of 312 bytes for 1 regions, expected 256"},
      {~0u, 4, "integrity status of 316 bytes for 2 regions, expected 312"},
      {~0u, -8, "integrity status of 304 bytes for 2 regions, expected 312"},
      {97, 0, "integrity status claims 97 regions, more than the 96 a reply may hold"},
      {0xffffffffu - 1, 0, "claims 4294967294 regions"},
      {~0u, -200, "shorter than the expected 200"},
  };
  for (const Case& c : cases) {
    world_.integrity_claimed_regions = c.claimed;
    world_.integrity_size_delta = c.delta;
    CliRun r = run({"integrity", "status", "--json"});
    EXPECT_EQ(r.rc, policyctl::kExitUnreachable) << c.err;
    EXPECT_NE(r.err.find(c.err), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
  }
}

TEST_F(Integrity, UsageErrors) {
  CliRun r = run({"integrity", "frob"});
  EXPECT_EQ(r.rc, policyctl::kExitError);
  EXPECT_NE(r.err.find("unknown integrity command 'frob' (expected status or check)"),
            std::string::npos)
      << r.err;
  r = run({"integrity"});
  EXPECT_EQ(r.rc, policyctl::kExitError);
  EXPECT_NE(r.err.find("missing argument"), std::string::npos) << r.err;
  EXPECT_TRUE(world_.commands.empty());
}

TEST_F(Integrity, ReportCarriesTheLatestDetection) {
  world_.integrity.state = TZU_INTEGRITY_VIOLATED;
  world_.integrity.flags |= TZU_IS_MANIFEST_BAD;
  world_.integrity.mismatches = 2;
  world_.last_detection.last_region_kind = TZU_IREG_SYSCALL_TABLE;
  world_.last_detection.last_region_va = 0xc0009000u;
  world_.last_detection.last_offset = 0x1c;
  std::memset(world_.last_detection.last_expected, 0xee, TZU_SHA256_LEN);
  std::memset(world_.last_detection.last_observed, 0x0b, TZU_SHA256_LEN);
  std::string pub = dir_.write("device.pub",
                               policyc::public_key_text(FakeSecureWorld::device_key().pub));
  const std::string nonce(64, 'c');
  const std::string rep = dir_.file("r.report");
  ASSERT_EQ(run({"report", "--nonce", nonce, "-o", rep}).rc, 0);
  Json j = json({"verify-report", rep, "--device-pub", pub, "--nonce", nonce, "--json"});
  EXPECT_EQ(j["valid"], true);
  EXPECT_EQ(j["integrity"], "violated");
  EXPECT_EQ(j["integrity_passes"], 12);
  EXPECT_EQ(j["integrity_mismatches"], 2);
  EXPECT_EQ(j["integrity_flags"],
            Json::array({"manifest", "registered", "sealed", "timer", "manifest_bad"}));
  EXPECT_EQ(j["last_region_kind"], "syscall_table");
  EXPECT_EQ(j["last_region_va"], 0xc0009000u);
  EXPECT_EQ(j["last_offset"], 0x1c);
  EXPECT_EQ(j["last_expected"], std::string(64, 'e'));
  EXPECT_EQ(j["last_observed"], "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
  EXPECT_EQ(j["manifest_sha256"],
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  // The integrity fields are signed: one flipped byte fails verification.
  std::string bytes;
  {
    std::ifstream in(rep, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    bytes = ss.str();
  }
  bytes[offsetof(tzu_report, last_offset)] ^= 1;
  std::string bad = dir_.write("bad.report", bytes);
  CliRun r = run({"verify-report", bad, "--device-pub", pub});
  EXPECT_EQ(r.rc, policyctl::kExitMismatch);
  EXPECT_NE(r.err.find("signature does not verify"), std::string::npos) << r.err;
}

TEST_F(Integrity, VersionOneReportIsNamed) {
  std::string v1(336, '\0');
  const std::uint32_t magic = TZU_REPORT_MAGIC;
  const std::uint16_t version = 1;
  std::memcpy(&v1[offsetof(tzu_report, magic)], &magic, 4);
  std::memcpy(&v1[offsetof(tzu_report, version)], &version, 2);
  std::string pub = dir_.write("device.pub",
                               policyc::public_key_text(FakeSecureWorld::device_key().pub));
  CliRun r = run({"verify-report", dir_.write("v1.report", v1), "--device-pub", pub});
  EXPECT_EQ(r.rc, policyctl::kExitMismatch);
  EXPECT_NE(r.err.find("a report has 464 bytes, not 336 (a version 1 report, from an older "
                       "secure world)"),
            std::string::npos)
      << r.err;
}

tzu_audit_record record(std::uint32_t kind, std::uint64_t seq) {
  tzu_audit_record r{};
  r.hook = kind;
  r.event_seq = seq;
  return r;
}

TEST(IntegrityRecords, SeqIsDecodedAsTheAbiDocumentsIt) {
  Json j = policyctl::audit_record_to_json(
      record(TZU_AUDIT_MISMATCH, std::uint64_t{TZU_IREG_SYSCALL_TABLE} << 56 |
                                     std::uint64_t{3} << 32 | 0x1234u));
  EXPECT_EQ(j["kind"], "mismatch");
  EXPECT_EQ(j["detail"], Json::parse(R"({"region_kind":"syscall_table","region":3,"offset":4660})"));
  j = policyctl::audit_record_to_json(
      record(TZU_AUDIT_BASELINE, std::uint64_t{TZU_IREG_TEXT} << 56 | 0x10u));
  EXPECT_EQ(j["kind"], "baseline");
  EXPECT_EQ(j["detail"], Json::parse(R"({"region_kind":"text","region":0,"offset":16})"));
  j = policyctl::audit_record_to_json(
      record(TZU_AUDIT_KREGISTER, std::uint64_t{TZU_IREG_RO_AFTER_INIT} << 32 | 0xc0a00000u));
  EXPECT_EQ(j["kind"], "kregister");
  EXPECT_EQ(j["detail"], Json::parse(R"({"region_kind":"ro_after_init","va":3231711232})"));
  j = policyctl::audit_record_to_json(
      record(TZU_AUDIT_KMODULE, std::uint64_t{TZU_KMOD_DEL} << 32 | 0xbf000000u));
  EXPECT_EQ(j["kind"], "kmodule");
  EXPECT_EQ(j["detail"], Json::parse(R"({"op":"del","va":3204448256})"));
  j = policyctl::audit_record_to_json(record(TZU_AUDIT_HEARTBEAT, TZU_IS_HEARTBEAT_LOST));
  EXPECT_EQ(j["kind"], "heartbeat");
  EXPECT_EQ(j["detail"], Json::parse(R"({"degraded_by":["heartbeat_lost"]})"));
  j = policyctl::audit_record_to_json(record(TZU_AUDIT_MANIFEST, 1024));
  EXPECT_EQ(j["kind"], "manifest");
  EXPECT_EQ(j["detail"], Json::parse(R"({"manifest_size":1024})"));
  j = policyctl::audit_record_to_json(record(TZU_AUDIT_INTEGRITY, TZU_INTEGRITY_DEGRADED));
  EXPECT_EQ(j["kind"], "integrity");
  EXPECT_EQ(j["detail"], Json::parse(R"({"state":"degraded"})"));
  // Other kinds have no detail; the raw event_seq is always kept.
  j = policyctl::audit_record_to_json(record(TZU_AUDIT_MODE, 1));
  EXPECT_FALSE(j.contains("detail"));
  EXPECT_EQ(j["event_seq"], 1);
  j = policyctl::audit_record_to_json(record(TZU_AUDIT_SYSTEM_RESET, 7));
  EXPECT_EQ(j["kind"], "system_reset");
  EXPECT_EQ(j["event_seq"], 7);
  j = policyctl::audit_record_to_json(record(TZU_AUDIT_SYSTEM_OFF, 7));
  EXPECT_EQ(j["kind"], "system_off");
  // An unknown kind stays a number.
  j = policyctl::audit_record_to_json(record(TZU_AUDIT_SYSTEM_OFF + 1, 5));
  EXPECT_EQ(j["kind"], TZU_AUDIT_SYSTEM_OFF + 1);
}

}  // namespace
}  // namespace policyctl_test
