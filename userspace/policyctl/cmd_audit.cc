// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cmd_audit.cc - `policyctl audit`: read (and verify) the secure world's
// hash-chained audit ring.
#include <unistd.h>

#include <cstring>

#include "audit_log.h"
#include "audit_read.h"
#include "cli.h"
#include "event_json.h"

namespace policyctl {
namespace {

const char kHelp[] =
    "usage: policyctl audit [--from N] [--verify] [--follow] [--device DEV]\n"
    "       policyctl audit --follow -o FILE [--count N] [--duration S]\n"
    "       policyctl audit --verify FILE [--report REPORT --device-pub DEVICE.pub]\n\n"
    "Prints the secure world's audit records as JSON lines, oldest first:\n"
    "  {\"index\":..,\"event_seq\":..,\"event_digest\":\"hex\",\"rule_id\":..,\n"
    "   \"verdict\":..,\"flags\":..,\"epoch\":..,\"hook\":..,\"tgid\":..,\n"
    "   \"obligations\":..,\"session_id\":..,\"hash\":\"hex\",\"hook_name\":..,\n"
    "   \"verdict_name\":..,\"flags_text\":[..],\"obligations_text\":[..]}\n"
    "(the raw fields of struct tzu_audit_record, then readable names; records\n"
    "of the secure world's own events - hook >= 0x100: boot, policy_load,\n"
    "mode, attr_write, usage_end, auth_refused, storage, audit_config,\n"
    "integrity, audit_reset, manifest, kregister, mismatch, baseline,\n"
    "heartbeat, kmodule - carry \"kind\", \"status\" and TZU_SF_* flags_text\n"
    "instead; the kernel-integrity kinds also carry \"detail\", the fields\n"
    "packed into event_seq: region_kind, region, offset (mismatch, baseline),\n"
    "region_kind, va (kregister), op, va (kmodule), degraded_by (heartbeat),\n"
    "manifest_size (manifest), state (integrity)). Each read that does not continue the previous one starts with\n"
    "  {\"anchor\":\"hex\",\"first_index\":..,\"next_index\":..,\"dropped\":..}\n"
    "whose anchor is the hash the next record chains from.\n"
    "Records form a SHA-256 chain: hash = SHA256(previous hash || record\n"
    "bytes before the hash); each boot starts a new chain at index 0. The ring\n"
    "is bounded: records that fell off are reported on stderr, and the chain\n"
    "then starts from the anchor (hash of the newest fallen record) that the\n"
    "secure world returns.\n\n"
    "--follow -o FILE drains the ring into FILE (appending, in the format\n"
    "above, fsync'd per batch): every read acknowledges its records\n"
    "(TZU_AUDIT_READ_ACK), so with fail-closed overflow nothing is lost, and\n"
    "with drop-oldest only records older than the reader. A run resumes after\n"
    "the last record already in FILE; a lost range becomes an anchor line; a\n"
    "reboot starts a new chain. Stops on SIGINT/SIGTERM, --count or --duration.\n"
    "--verify FILE checks such a log off the device: consecutive indices and\n"
    "an unbroken hash chain across any number of ring wraps; with --report\n"
    "(from `policyctl report -o`, verified with --device-pub), also that the\n"
    "log holds record audit_next_index-1 with the report's signed audit head,\n"
    "which authenticates every record up to it.\n\n"
    "options:\n"
    "  --from N        first record index wanted (default 0)\n"
    "  --verify [FILE] recompute the hash chain (of the ring, or of FILE);\n"
    "                  exit 3 if it is broken\n"
    "  --follow        keep polling for new records until killed\n"
    "  -o FILE         with --follow: append drained records to FILE\n"
    "  --count N       with --follow -o: stop after N records\n"
    "  --duration S    with --follow -o: stop after S seconds\n"
    "  --report R      with --verify FILE: the report to check the log against\n"
    "  --device-pub P  the device public key that verifies R\n"
    "  --device DEV    TEE device (default /dev/tee0 or $POLICYCTL_TEE_DEVICE)\n"
    "  --json          accepted for symmetry; records are always JSON lines\n\n"
    "exit: 0 ok, 1 secure-world or I/O error, 3 broken chain or log that does\n"
    "      not match the report (--verify), 4 unreachable\n";

// Index of the first record that does not chain from `prev`, or -1.
long long first_break(const std::uint8_t prev[32], const std::vector<tzu_audit_record>& recs,
                      std::uint64_t first_index) {
  std::uint8_t h[32];
  std::memcpy(h, prev, 32);
  for (std::size_t i = 0; i < recs.size(); ++i) {
    std::uint8_t want[32];
    ucon::AuditLog::chain_hash(h, recs[i], want);
    if (recs[i].index != first_index + i || std::memcmp(want, recs[i].hash, 32) != 0) {
      return static_cast<long long>(recs[i].index);
    }
    std::memcpy(h, recs[i].hash, 32);
  }
  return -1;
}

int run_live(const Args& args, Context& ctx) {
  std::uint64_t from = 0;
  if (auto f = args.value("--from")) from = parse_u64(*f, "--from");
  const bool verify = args.has("--verify");
  const bool follow = args.has("--follow");
  auto t = connect(args, ctx);

  bool have_prev = false;
  std::uint8_t prev[32] = {};
  std::uint64_t verified = 0;
  bool broken = false;
  for (;;) {
    AuditBatch b = read_audit_batch(*t, from, 0);
    const tzu_read_audit_rsp& r = b.rsp;
    if (r.first_index > from) {
      ctx.err << "policyctl audit: records " << from << ".." << r.first_index - 1
              << " fell off the ring before they were read (" << r.dropped
              << " dropped in total)\n";
    }
    // Across batches the chain continues from the last hash we printed;
    // after a gap only the secure world's anchor can link the records.
    const bool continues = have_prev && r.first_index == from;
    if (!continues && !b.recs.empty()) {
      ctx.out << dump(Json{{"anchor", to_hex(r.anchor, sizeof(r.anchor))},
                           {"first_index", r.first_index},
                           {"next_index", r.next_index},
                           {"dropped", r.dropped}})
              << "\n";
    }
    if (verify && !b.recs.empty()) {
      const std::uint8_t* anchor = continues ? prev : r.anchor;
      bool ok = ucon::AuditLog::verify(anchor, b.recs.data(), r.n_records) &&
                b.recs[0].index == r.first_index;
      if (!ok) {
        long long at = first_break(anchor, b.recs, r.first_index);
        ctx.err << "policyctl audit: hash chain broken at record "
                << (at >= 0 ? std::to_string(at) : std::to_string(r.first_index)) << "\n";
        broken = true;
      } else {
        verified += r.n_records;
      }
    }
    for (const tzu_audit_record& rec : b.recs) ctx.out << dump(audit_record_to_json(rec)) << "\n";
    ctx.out.flush();
    if (broken && follow) return kExitMismatch;
    if (!b.recs.empty()) {
      std::memcpy(prev, b.recs.back().hash, 32);
      have_prev = true;
      from = b.recs.back().index + 1;
    } else if (r.first_index > from) {
      from = r.first_index;
    }
    if (from < r.next_index && !b.recs.empty()) continue;  // more to read now
    if (!follow) break;
    sleep(1);
  }
  if (verify && !broken) {
    ctx.err << "policyctl audit: hash chain verified (" << verified << " records)\n";
  }
  return broken ? kExitMismatch : kExitOk;
}

int run(const std::vector<std::string>& argv, Context& ctx) {
  Args args(argv,
            {kDeviceOption, {"--from", true}, {"--verify", false}, {"--follow", false},
             {"-o", true}, {"--output", true}, {"--count", true}, {"--duration", true},
             {"--report", true}, {"--device-pub", true}, {"--json", false}},
            0, 1);
  if (args.help()) {
    ctx.out << kHelp;
    return kExitOk;
  }
  auto out_path = args.output();
  if (!args.pos().empty()) {
    if (!args.has("--verify")) throw UsageError("unexpected argument '" + args.pos()[0] + "'");
    if (args.has("--follow") || out_path) throw UsageError("--verify FILE reads a file: no --follow or -o");
    auto report = args.value("--report");
    auto pub = args.value("--device-pub");
    return verify_file(args.pos()[0], report ? &*report : nullptr, pub ? &*pub : nullptr, ctx);
  }
  if (args.has("--report") || args.has("--device-pub")) {
    throw UsageError("--report and --device-pub go with --verify FILE");
  }
  if (out_path) {
    if (!args.has("--follow")) throw UsageError("-o goes with --follow");
    if (args.has("--verify") || args.has("--from")) {
      throw UsageError("--follow -o resumes from FILE: no --verify or --from");
    }
    FollowLimits lim;
    if (auto c = args.value("--count")) lim.count = parse_u64(*c, "--count");
    if (auto d = args.value("--duration")) lim.duration_ms = parse_u64(*d, "--duration") * 1000;
    auto t = connect(args, ctx);
    std::uint64_t n = follow_to_file(*t, *out_path, lim, ctx);
    ctx.err << "policyctl audit: appended " << n << " records to " << *out_path << "\n";
    return kExitOk;
  }
  if (args.has("--count") || args.has("--duration")) {
    throw UsageError("--count and --duration go with --follow -o FILE");
  }
  return run_live(args, ctx);
}

}  // namespace

const Command kAuditCommand = {"audit", "read and verify the secure world's audit log", kHelp,
                               run};

}  // namespace policyctl