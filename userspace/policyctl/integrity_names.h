// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// integrity_names.h - readable names for the kernel-integrity values of the
// ABI (TZU_INTEGRITY_*, TZU_IS_*, TZU_IRF_*, TZU_IREG_*) and the decoding of
// the integrity audit records' event_seq (TZU_AUDIT_MANIFEST..KMODULE), shared
// by `policyctl integrity`, `report`, `stats`, `status` and `audit`.
#ifndef POLICYCTL_INTEGRITY_NAMES_H
#define POLICYCTL_INTEGRITY_NAMES_H

#include <cstdint>
#include <string>
#include <vector>

#include "event_json.h"
#include "tzucon_abi.h"

namespace policyctl {

// "unknown", "ok", "violated", "degraded"; "invalid" for anything else.
const char* integrity_state_name(std::uint32_t state);
// TZU_IREG_* name ("text", "syscall_table", ...); "none" for 0, else "kindN".
std::string region_kind_name(std::uint32_t kind);
std::vector<std::string> integrity_flag_names(std::uint32_t flags);  // TZU_IS_*
std::vector<std::string> region_flag_names(std::uint32_t flags);     // TZU_IRF_*

// The fields packed into event_seq by the integrity record kinds, as the ABI
// documents them (e.g. MISMATCH: region_kind, region, offset); an empty
// object for any other kind.
Json integrity_record_detail(const tzu_audit_record& r);

}  // namespace policyctl

#endif  // POLICYCTL_INTEGRITY_NAMES_H
