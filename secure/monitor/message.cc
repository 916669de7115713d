// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// message.cc - request/response framing rules of abi/tzucon_abi.h.
#include "message.h"

namespace monitor {

using ucon::Status;

uint32_t request_size(uint32_t cmd) {
  switch (cmd) {
    case TZU_CMD_OPEN_SESSION: return sizeof(tzu_open_session_req);
    case TZU_CMD_CLOSE_SESSION: return sizeof(tzu_session_req);
    case TZU_CMD_LOAD_POLICY: return sizeof(tzu_load_policy_req);
    case TZU_CMD_SET_MODE: return sizeof(tzu_set_mode_req);
    case TZU_CMD_GET_STATS: return sizeof(tzu_hdr);
    case TZU_CMD_READ_AUDIT: return sizeof(tzu_read_audit_req);
    case TZU_CMD_UPDATE_ATTR: return sizeof(tzu_update_attr_req);
    case TZU_CMD_INTEGRITY_CHECK: return sizeof(tzu_session_req);
    case TZU_CMD_INTEGRITY_REGISTER: return sizeof(tzu_session_req);
    case TZU_CMD_INTEGRITY_MODULE: return sizeof(tzu_integrity_module_req);
    case TZU_CMD_HEARTBEAT: return sizeof(tzu_heartbeat_req);
    case TZU_CMD_INTEGRITY_STATUS: return sizeof(tzu_session_req);
    case TZU_CMD_END_USAGE: return sizeof(tzu_end_usage_req);
    case TZU_CMD_GET_CHALLENGE: return sizeof(tzu_session_req);
    case TZU_CMD_GET_REPORT: return sizeof(tzu_report_req);
    case TZU_CMD_AUDIT_CONFIG: return sizeof(tzu_audit_config_req);
    default: return 0;
  }
}

uint32_t response_size(uint32_t cmd) {
  switch (cmd) {
    case TZU_CMD_OPEN_SESSION: return sizeof(tzu_open_session_rsp);
    case TZU_CMD_CLOSE_SESSION: return sizeof(tzu_hdr);
    case TZU_CMD_LOAD_POLICY: return sizeof(tzu_load_policy_rsp);
    case TZU_CMD_SET_MODE: return sizeof(tzu_hdr);
    case TZU_CMD_GET_STATS: return sizeof(tzu_stats);
    case TZU_CMD_READ_AUDIT: return sizeof(tzu_read_audit_rsp);
    case TZU_CMD_UPDATE_ATTR: return sizeof(tzu_update_attr_rsp);
    // The integrity status replies: fixed part, regions follow.
    case TZU_CMD_INTEGRITY_CHECK: return sizeof(tzu_integrity_status);
    case TZU_CMD_INTEGRITY_REGISTER: return sizeof(tzu_integrity_status);
    case TZU_CMD_INTEGRITY_MODULE: return sizeof(tzu_integrity_module_rsp);
    case TZU_CMD_HEARTBEAT: return sizeof(tzu_heartbeat_rsp);
    case TZU_CMD_INTEGRITY_STATUS: return sizeof(tzu_integrity_status);
    case TZU_CMD_END_USAGE: return sizeof(tzu_hdr);
    case TZU_CMD_GET_CHALLENGE: return sizeof(tzu_challenge_rsp);
    case TZU_CMD_GET_REPORT: return sizeof(tzu_report);
    case TZU_CMD_AUDIT_CONFIG: return sizeof(tzu_hdr);
    default: return 0;
  }
}

Status check_request_header(const tzu_hdr& h, uint32_t cmd, uint32_t len) {
  if (len < sizeof(tzu_hdr)) return Status::kBadSize;
  if (h.magic != TZU_MAGIC) return Status::kBadMagic;
  if (h.version != TZU_ABI_VERSION) return Status::kBadVersion;
  if (h.command != cmd) return Status::kBadCommand;
  if (h.size != len) return Status::kBadSize;
  if (h.status != 0) return Status::kBadField;
  return Status::kOk;
}

tzu_hdr make_header(uint32_t cmd, uint32_t size, Status status) {
  tzu_hdr h{};
  h.magic = TZU_MAGIC;
  h.version = TZU_ABI_VERSION;
  h.command = static_cast<tzu_u16>(cmd);
  h.size = size;
  h.status = ucon::to_wire(status);
  return h;
}

int32_t bounded_strlen(const char* s, uint32_t cap) {
  for (uint32_t i = 0; i < cap; ++i)
    if (s[i] == '\0') return static_cast<int32_t>(i);
  return -1;
}

}  // namespace monitor
