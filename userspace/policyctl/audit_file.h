// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// audit_file.h - a drained audit log on disk, and its off-device check.
//
// Format: JSON lines, exactly as `policyctl audit` prints them:
//   record: {"index":..,"event_seq":..,"event_digest":"hex",..,"hash":"hex",..}
//           (every raw field of struct tzu_audit_record, then readable names)
//   anchor: {"anchor":"hex","first_index":N,"next_index":N,"dropped":N}
//           written where the next record does not continue the previous
//           one: at the start of a log that begins mid-chain, and after
//           records fell off the ring before they were drained (a gap).
// A record with index 0 starts a new chain (a boot: prev hash = 32 zeros).
//
// verify_audit_log checks continuity (consecutive indices, each hash chains
// from the previous one, across any number of ring wraps) and, given a
// verified report, that the log reaches the report's signed audit head:
// only the secure world can sign a head, so that makes every record up to it
// authentic.
#ifndef POLICYCTL_AUDIT_FILE_H
#define POLICYCTL_AUDIT_FILE_H

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "event_json.h"
#include "tzucon_abi.h"

namespace policyctl {

struct AuditAnchor {
  std::uint8_t hash[TZU_SHA256_LEN] = {};
  std::uint64_t first_index = 0;
  std::uint64_t next_index = 0;
  std::uint64_t dropped = 0;
};

struct AuditLine {
  std::size_t line = 0;  // 1-based, in the file
  std::optional<tzu_audit_record> record;  // else an anchor
  AuditAnchor anchor;
};

// Inverse of audit_record_to_json (raw fields only). Throws JsonError.
tzu_audit_record audit_record_from_json(const Json& j);
Json audit_anchor_to_json(const AuditAnchor& a);

// Throws TraceError-like JsonError("LINE: ...") on a malformed line.
std::vector<AuditLine> read_audit_log(std::istream& in);

struct AuditCheck {
  std::vector<std::string> problems;  // empty: continuous
  std::uint64_t records = 0;
  std::uint64_t chains = 0;           // boots (chains starting at index 0) + anchored starts
  std::optional<tzu_audit_record> last;
  std::uint64_t covered = 0;          // records authenticated by the report
};

// report: an already verified tzu_report, or null.
AuditCheck verify_audit_log(const std::vector<AuditLine>& log, const tzu_report* report);

}  // namespace policyctl

#endif  // POLICYCTL_AUDIT_FILE_H
