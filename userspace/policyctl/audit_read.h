// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// audit_read.h - TZU_CMD_READ_AUDIT batches, and the two file modes of
// `policyctl audit`: --follow -o FILE (drain to a log) and --verify FILE
// (check a drained log off the device). Format: audit_file.h.
#ifndef POLICYCTL_AUDIT_READ_H
#define POLICYCTL_AUDIT_READ_H

#include <cstdint>
#include <string>
#include <vector>

#include "cli.h"
#include "tee_client.h"

namespace policyctl {

constexpr std::uint32_t kAuditBatch = 32;  // records per READ_AUDIT

struct AuditBatch {
  tzu_read_audit_rsp rsp;
  std::vector<tzu_audit_record> recs;
};

// flags: TZU_AUDIT_READ_* (ACK marks the returned records as drained).
AuditBatch read_audit_batch(Transport& t, std::uint64_t from, std::uint32_t flags,
                            std::uint32_t max = kAuditBatch);

struct FollowLimits {
  std::uint64_t count = 0;        // stop after this many records (0: no limit)
  std::uint64_t duration_ms = 0;  // stop after this long (0: no limit)
  std::uint64_t poll_ms = 500;    // wait between empty reads
};

// Drains the ring into `path` until SIGINT/SIGTERM or a limit; resumes after
// the last record already in the file. Returns the records appended.
std::uint64_t follow_to_file(Transport& t, const std::string& path, const FollowLimits& lim,
                             Context& ctx);

// Checks a drained log (and, with report_path, against a report verified
// with device_pub_path). Prints the result; returns an exit code.
int verify_file(const std::string& path, const std::string* report_path,
                const std::string* device_pub_path, Context& ctx);

}  // namespace policyctl

#endif  // POLICYCTL_AUDIT_READ_H
