// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// stats_query.h - TZU_CMD_GET_STATS, shared by `policyctl status` and `stats`.
#ifndef POLICYCTL_STATS_QUERY_H
#define POLICYCTL_STATS_QUERY_H

#include "tee_client.h"
#include "tzucon_abi.h"

namespace policyctl {

// Throws TransportError / SecureError.
tzu_stats query_stats(Transport& t);
const char* integrity_name(std::uint32_t state);

}  // namespace policyctl

#endif  // POLICYCTL_STATS_QUERY_H
