// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// integrity_view.h - the secure world's kernel-integrity status
// (TZU_CMD_INTEGRITY_STATUS, and INTEGRITY_CHECK which runs a full pass
// first): request, strict decoding of the variable-length reply
// (tzu_integrity_status + n_regions tzu_integrity_region), and rendering.
#ifndef POLICYCTL_INTEGRITY_VIEW_H
#define POLICYCTL_INTEGRITY_VIEW_H

#include <cstdint>
#include <ostream>
#include <vector>

#include "event_json.h"
#include "tee_client.h"
#include "tzucon_abi.h"

namespace policyctl {

// Regions the reply buffer has room for: the secure world's region table
// (KernelIntegrity::kMaxRegions, kernel regions + modules). A reply that
// claims more is malformed.
constexpr std::uint32_t kMaxIntegrityRegions = 96;

struct IntegrityStatus {
  tzu_integrity_status status;
  std::vector<tzu_integrity_region> regions;
};

// Checks the header (check_response), then that hdr.size is exactly
// sizeof(tzu_integrity_status) + n_regions * sizeof(tzu_integrity_region)
// with n_regions <= kMaxIntegrityRegions. Throws TransportError if not,
// SecureError for a non-OK status.
IntegrityStatus parse_integrity_status(const std::vector<std::uint8_t>& rsp,
                                       std::uint32_t cmd);

// cmd: TZU_CMD_INTEGRITY_STATUS or TZU_CMD_INTEGRITY_CHECK, session 0.
IntegrityStatus query_integrity(Transport& t, std::uint32_t cmd);

Json integrity_to_json(const IntegrityStatus& s);
void print_integrity(std::ostream& out, const IntegrityStatus& s);

}  // namespace policyctl

#endif  // POLICYCTL_INTEGRITY_VIEW_H
