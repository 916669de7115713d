// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// stats_query.cc - TZU_CMD_GET_STATS request/response.
#include "stats_query.h"

#include "integrity_names.h"

namespace policyctl {

tzu_stats query_stats(Transport& t) {
  // [in] tzu_session_req (session 0: no client session) [out] tzu_stats.
  auto req = make_request<tzu_session_req>(TZU_CMD_GET_STATS);
  req.session = kRequestSession;
  return parse_response<tzu_stats>(call(t, req, sizeof(tzu_stats)), TZU_CMD_GET_STATS);
}

const char* integrity_name(std::uint32_t state) { return integrity_state_name(state); }

}  // namespace policyctl
