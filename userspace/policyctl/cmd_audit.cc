// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cmd_audit.cc - `policyctl audit`: read (and verify) the secure world's
// hash-chained audit ring.
#include <unistd.h>

#include <cstring>

#include "audit_log.h"
#include "cli.h"
#include "event_json.h"

namespace policyctl {
namespace {

const char kHelp[] =
    "usage: policyctl audit [--from N] [--verify] [--follow] [--device DEV]\n\n"
    "Prints the secure world's audit records as JSON lines, oldest first:\n"
    "  {\"index\":..,\"event_seq\":..,\"event_digest\":\"hex\",\"rule_id\":..,\n"
    "   \"verdict\":..,\"flags\":..,\"epoch\":..,\"hook\":..,\"tgid\":..,\n"
    "   \"obligations\":..,\"session_id\":..,\"hash\":\"hex\",\"hook_name\":..,\n"
    "   \"verdict_name\":..,\"flags_text\":[..],\"obligations_text\":[..]}\n"
    "(the raw fields of struct tzu_audit_record, then readable names). Each\n"
    "read that does not continue the previous one starts with a line\n"
    "  {\"anchor\":\"hex\",\"first_index\":..,\"next_index\":..,\"dropped\":..}\n"
    "whose anchor is the hash the next record chains from.\n"
    "Records form a SHA-256 chain: hash = SHA256(previous hash || record\n"
    "bytes before the hash). The ring is bounded: records that fell off are\n"
    "reported on stderr, and the chain then starts from the anchor (hash of\n"
    "the newest fallen record) that the secure world returns.\n\n"
    "options:\n"
    "  --from N      first record index wanted (default 0)\n"
    "  --verify      recompute the hash chain; exit 3 if it is broken\n"
    "  --follow      keep polling for new records (once a second) until killed\n"
    "  --device DEV  TEE device (default /dev/tee0 or $POLICYCTL_TEE_DEVICE)\n"
    "  --json        accepted for symmetry; records are always JSON lines\n\n"
    "exit: 0 ok, 1 secure-world error, 3 broken chain (--verify),\n"
    "      4 unreachable\n";

constexpr std::uint32_t kBatch = 32;  // records per READ_AUDIT

struct Batch {
  tzu_read_audit_rsp rsp;
  std::vector<tzu_audit_record> recs;
};

Batch read_batch(Transport& t, std::uint64_t from) {
  auto req = make_request<tzu_read_audit_req>(TZU_CMD_READ_AUDIT);
  req.session = t.session();
  req.max_records = kBatch;
  req.from_index = from;
  auto bytes = call(t, req, sizeof(tzu_read_audit_rsp) + kBatch * sizeof(tzu_audit_record));
  Batch b;
  b.rsp = parse_response<tzu_read_audit_rsp>(bytes, TZU_CMD_READ_AUDIT);
  const std::size_t need =
      sizeof(tzu_read_audit_rsp) + std::size_t{b.rsp.n_records} * sizeof(tzu_audit_record);
  if (b.rsp.n_records > kBatch || b.rsp.hdr.size < need) {
    throw TransportError("READ_AUDIT response claims " + std::to_string(b.rsp.n_records) +
                         " records in " + std::to_string(b.rsp.hdr.size) + " bytes");
  }
  b.recs.resize(b.rsp.n_records);
  if (!b.recs.empty()) {
    std::memcpy(b.recs.data(), bytes.data() + sizeof(tzu_read_audit_rsp),
                b.recs.size() * sizeof(tzu_audit_record));
  }
  return b;
}

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

int run(const std::vector<std::string>& argv, Context& ctx) {
  Args args(argv,
            {kDeviceOption, {"--from", true}, {"--verify", false}, {"--follow", false},
             {"--json", false}},
            0, 0);
  if (args.help()) {
    ctx.out << kHelp;
    return kExitOk;
  }
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
    Batch b = read_batch(*t, from);
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

}  // namespace

const Command kAuditCommand = {"audit", "read and verify the secure world's audit log", kHelp,
                               run};

}  // namespace policyctl
