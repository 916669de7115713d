// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// engine_smoke.cc - bare-metal smoke test: the real UCON engine, in a static
// arena on the Cortex-A9, loads the signed policy blob QEMU placed in memory
// and decides events before and after an integrity violation; any unexpected
// result exits non-zero (run_smoke.sh checks the printed lines as well).
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "compare.h"
#include "cpu.h"
#include "crypto.h"
#include "engine.h"
#include "semihost.h"
#include "smoke_cases.h"
#include "smoke_input.h"

namespace {

using smoke::put;
using smoke::put_dec;
using smoke::put_hex;

// Runtime capacities of the smoke run (smaller than the engine's defaults so
// the image stays small; init() proves they fit the arena).
constexpr uint32_t kMaxBlob = 64u << 10;
constexpr size_t kArenaBytes = 1u << 20;
constexpr uint32_t kAuditRead = 16;

alignas(64) uint8_t g_arena[kArenaBytes];
uint8_t g_tampered[kMaxBlob];
ucon::Engine g_engine;
tzu_audit_record g_audit[kAuditRead];

int g_failures = 0;

void mismatch(const char* why) {
  put(" MISMATCH (");
  put(why);
  put(")\n");
  ++g_failures;
}

void expect_status(const char* what, ucon::Status got, ucon::Status want) {
  put(what);
  put(": ");
  put(ucon::status_name(got));
  if (got != want) {
    mismatch(ucon::status_name(want));
    return;
  }
  put(" ok\n");
}

const char* verdict_name(uint32_t v) {
  return v == TZU_VERDICT_ALLOW ? "allow" : v == TZU_VERDICT_DENY ? "deny" : "?";
}

void print_decision(const tzu_decision& d) {
  put(" verdict=");
  put(verdict_name(d.verdict));
  put(" flags=");
  put_hex(d.flags);
  put(" rule=");
  put_dec(d.rule_id);
  put(" obligations=");
  put_hex(d.obligations);
  put(" epoch=");
  put_dec(d.epoch);
  if (d.flags & TZU_DF_SESSION_OPENED) {
    put(" session=");
    put_dec(d.session_id);
  }
}

tzu_decision run_case(const smoke::Case& c) {
  tzu_decision d;
  memset(&d, 0, sizeof(d));
  const ucon::Status s = g_engine.decide(c.event, &d);
  put("decide ");
  put(c.name);
  put(":");
  print_decision(d);
  if (s != ucon::Status::kOk || d.hdr.status != TZU_OK) {
    mismatch(ucon::status_name(s));
  } else if (d.seq != c.event.seq) {
    mismatch("seq not echoed");
  } else if (d.verdict != c.want_verdict) {
    mismatch(c.want_verdict == TZU_VERDICT_DENY ? "want deny" : "want allow");
  } else if (d.rule_id != c.want_rule) {
    mismatch("wrong deciding rule");
  } else if ((d.flags & c.want_flags) != c.want_flags ||
             (d.flags & c.unwanted_flags) != 0) {
    mismatch("wrong flags");
  } else if ((d.obligations & c.want_obligations) != c.want_obligations) {
    mismatch("missing obligations");
  } else {
    put(" ok\n");
  }
  return d;
}

// The input file (smoke_input.h) comes from the host script: check it like
// any other untrusted input before using it.
bool read_input(const uint8_t** key, uint32_t* key_len, const uint8_t** blob,
                uint32_t* blob_len) {
  smoke::SmokeInputHeader h;
  const auto* base = reinterpret_cast<const uint8_t*>(smoke::kSmokeInputAddr);
  memcpy(&h, base, sizeof(h));
  put("input: ");
  if (h.magic != smoke::kSmokeInputMagic ||
      h.version != smoke::kSmokeInputVersion) {
    mismatch("no smoke input at the load address");
    return false;
  }
  if (h.key_len != smoke::kSmokeKeyLen || h.blob_len == 0 ||
      h.blob_len > kMaxBlob) {
    mismatch("sizes out of range");
    return false;
  }
  *key = base + sizeof(h);
  *key_len = h.key_len;
  *blob = *key + h.key_len;
  *blob_len = h.blob_len;
  put("key ");
  put_dec(h.key_len);
  put(" bytes, blob ");
  put_dec(h.blob_len);
  put(" bytes\n");
  return true;
}

bool load(const uint8_t* key, uint32_t key_len, const uint8_t* blob,
          uint32_t blob_len) {
  ucon::EngineConfig cfg;
  cfg.max_attr_entries = 256;
  cfg.max_sessions = 32;
  cfg.audit_records = 64;
  cfg.max_blob_bytes = kMaxBlob;
  put("arena: ");
  put_dec(ucon::Engine::arena_bytes(cfg));
  put(" of ");
  put_dec(kArenaBytes);
  put(" bytes\n");
  (void)key_len;  // kSmokeKeyLen: policy public key, then the device id
  expect_status("init", g_engine.init(g_arena, sizeof(g_arena), cfg, key, key + 32),
                ucon::Status::kOk);
  if (g_failures) return false;

  size_t n = 0;
  tzu_decision d;
  const ucon::Status s = g_engine.decide(smoke::before_violation(&n)[0].event, &d);
  put("decide without policy:");
  print_decision(d);
  if (s != ucon::Status::kOk || d.verdict != TZU_VERDICT_ALLOW ||
      !(d.flags & TZU_DF_NO_POLICY)) {
    mismatch("want allow with TZU_DF_NO_POLICY");
  } else {
    put(" ok\n");
  }

  ucon::LoadResult lr;
  // One flipped byte must fail authentication on the target too.
  memcpy(g_tampered, blob, blob_len);
  g_tampered[blob_len / 2] ^= 0x01;
  expect_status("load tampered blob",
                g_engine.load_policy(g_tampered, blob_len, &lr),
                ucon::Status::kAuth);
  expect_status("load policy", g_engine.load_policy(blob, blob_len, &lr),
                ucon::Status::kOk);
  if (g_failures) return false;
  put("policy: version ");
  put_dec(lr.policy_version);
  put(" epoch ");
  put_dec(lr.epoch);
  put(" rules ");
  put_dec(lr.n_rules);
  put(" interest ");
  put_hex(lr.interest_mask);
  put("\n");
  return true;
}

// The secure world's reaction to a failed kernel measurement: the
// key-usage session opened before must be revoked.
void violate_integrity(const tzu_decision& session_decision, uint32_t tgid) {
  ucon::Revocations rev;
  // integrity_state is writer "secure": the measurement sets it, no command.
  const ucon::Status s = g_engine.set_secure_attr(
      smoke::kIntegrityAttr, sizeof(smoke::kIntegrityAttr) - 1,
      TZU_INTEGRITY_VIOLATED, &rev);
  put("update integrity_state=2: ");
  put(ucon::status_name(s));
  put(" revoked=");
  put_dec(rev.n);
  if (rev.n > 0) {
    put(" session=");
    put_dec(rev.ids[0]);
    put(" tgid=");
    put_dec(rev.tgids[0]);
  }
  int64_t now = 0;
  g_engine.global_attr(smoke::kIntegrityAttr, sizeof(smoke::kIntegrityAttr) - 1,
                       &now);
  if (s != ucon::Status::kOk || now != TZU_INTEGRITY_VIOLATED) {
    mismatch("update failed");
  } else if (rev.n != 1 || rev.ids[0] != session_decision.session_id ||
             rev.tgids[0] != tgid || rev.reason != TZU_REVOKE_ONGOING) {
    mismatch("want exactly the key-usage session revoked");
  } else {
    put(" ok\n");
  }
}

void check_audit(uint32_t want) {
  ucon::AuditReadInfo info;
  const uint32_t n = g_engine.audit().read(0, g_audit, kAuditRead, &info);
  put("audit: ");
  put_dec(n);
  put(" records, chain ");
  const bool chain_ok = n == want && ucon::AuditLog::verify(info.anchor, g_audit, n);
  put(chain_ok ? "verified\n" : "BROKEN or wrong count\n");
  if (!chain_ok) ++g_failures;
}

// The secure image's block scan (secure/integrity/compare_arm.S) on the
// real core: every single-word difference at every position of a 4 KiB
// pair is found at its index, equal buffers report their length.
void check_compare() {
  static uint32_t a[1024 + 3], b[1024 + 3];
  for (uint32_t i = 0; i < 1024 + 3; ++i) a[i] = b[i] = i * 2654435761u;
  put("integrity compare: ");
  bool ok = integrity::first_diff_word(a, b, 1024 + 3) == 1024 + 3 &&
            integrity::first_diff_word(a, b, 0) == 0;
  for (uint32_t i = 0; ok && i < 1024 + 3; ++i) {
    b[i] ^= 1u << (i % 32);
    ok = integrity::first_diff_word(a, b, 1024 + 3) == i &&
         integrity::first_diff_word(a, b, i) == i;
    b[i] = a[i];
  }
  put(ok ? "ok\n" : "WRONG index\n");
  if (!ok) ++g_failures;
}

// SHA-256 on the real core: the FIPS 180-4 "abc" digest, then the cost of
// the hashing an audited decision does (the event digest and the chain
// hash) and of a long message, per 64-byte block, on the PMU cycle counter:
// guest instructions when QEMU runs with -icount shift=0 (run_smoke.sh
// SMOKE_ICOUNT=1), host-timed counts otherwise.
void check_sha256() {
  static const uint8_t kAbc[32] = {
      0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
      0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
      0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
  uint8_t out[ucon::kSha256Len];
  ucon::sha256("abc", 3, out);
  put("sha256 abc: ");
  const bool ok = memcmp(out, kAbc, sizeof(out)) == 0;
  put(ok ? "ok\n" : "WRONG digest\n");
  if (!ok) ++g_failures;

  cpu::write_pmcr(cpu::read_pmcr() | 1u);  // PMCR.E
  cpu::write_pmcntenset(1u << 31);         // PMCCNTR
  static uint8_t msg[4096];
  for (uint32_t i = 0; i < sizeof(msg); ++i) msg[i] = static_cast<uint8_t>(i * 7u);
  // The chain hash covers the previous hash and the record up to its own.
  const uint32_t sizes[] = {sizeof(tzu_event),
                            ucon::kSha256Len + offsetof(tzu_audit_record, hash),
                            sizeof(msg)};
  for (uint32_t len : sizes) {
    uint32_t best = UINT32_MAX;
    for (int round = 0; round < 5; ++round) {
      const uint32_t t0 = cpu::read_pmccntr();
      ucon::sha256(msg, len, out);
      const uint32_t t = cpu::read_pmccntr() - t0;
      if (t < best) best = t;
    }
    const uint32_t blocks = (len + 8) / 64 + 1;  // with the padding
    put("sha256 cost: ");
    put_dec(len);
    put(" bytes ");
    put_dec(best);
    put(" counts, ");
    put_dec(best / blocks);
    put(" per block\n");
  }
}

}  // namespace

int main() {
  put("engine_smoke: UCON engine on bare-metal Cortex-A9\n");
  const uint8_t* key;
  const uint8_t* blob;
  uint32_t key_len;
  uint32_t blob_len;
  if (!read_input(&key, &key_len, &blob, &blob_len)) return 2;
  if (!load(key, key_len, blob, blob_len)) return 2;

  size_t n_before = 0;
  size_t n_after = 0;
  const smoke::Case* before = smoke::before_violation(&n_before);
  const smoke::Case* after = smoke::after_violation(&n_after);
  uint32_t audited = 0;
  tzu_decision last{};
  for (size_t i = 0; i < n_before; ++i) {
    last = run_case(before[i]);
    if (before[i].want_obligations & TZU_OBL_AUDIT) ++audited;
  }
  violate_integrity(last, before[n_before - 1].event.subject.tgid);
  for (size_t i = 0; i < n_after; ++i) {
    run_case(after[i]);
    if (after[i].want_obligations & TZU_OBL_AUDIT) ++audited;
  }

  // A malformed event gets an error code and a deny, never a crash.
  tzu_event bad = before[0].event;
  bad.hdr.magic = 0;
  tzu_decision d;
  expect_status("decide bad magic", g_engine.decide(bad, &d),
                ucon::Status::kBadMagic);
  if (d.verdict != TZU_VERDICT_DENY || d.hdr.status != TZU_E_BAD_MAGIC) {
    put("decide bad magic:");
    mismatch("malformed event not denied with its status");
  }

  check_audit(audited);
  check_compare();
  check_sha256();

  if (g_failures) {
    put("engine_smoke: FAIL (");
    put_dec(static_cast<uint64_t>(g_failures));
    put(" mismatches)\n");
    return 2;
  }
  put("engine_smoke: PASS (");
  put_dec(n_before + n_after);
  put(" decisions as expected)\n");
  return 0;
}
