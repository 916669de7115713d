// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// integrity_commands.cc - the kernel-integrity commands: the kernel's events
// (INTEGRITY_REGISTER, INTEGRITY_MODULE, HEARTBEAT; kernel client session
// required) and the queries (INTEGRITY_CHECK, INTEGRITY_STATUS). Each event
// can only make the state worse (secure/integrity/kernel_integrity.h); what
// it finds reaches the engine and the audit chain through IntegritySink.
#include <string.h>

#include "dispatcher.h"
#include "message.h"

namespace monitor {
namespace {

// 4 records per 10 ms tick: ~130k instructions, sustains ~400 audited
// decisions a second before appends start hashing inline again.
constexpr uint32_t kAuditSettlePerTick = 4;

}  // namespace

using ucon::Status;


uint32_t Dispatcher::integrity_state() const {
  if (!cfg_.integrity) {
    tzu_stats st;
    cfg_.engine->stats(&st);
    return st.integrity_state;
  }
  return cfg_.integrity->state();
}

uint32_t Dispatcher::integrity_flags() const {
  return (cfg_.integrity ? cfg_.integrity->flags() : 0) | extra_flags_;
}

void Dispatcher::integrity_degrade(uint32_t why) {
  extra_flags_ |= why;
  if (!cfg_.integrity || failed_) return;
  sink_.set_context(0, 0);
  cfg_.integrity->degrade(why);
  publish_state();  // integrity_state may have changed: a cache epoch
}

void Dispatcher::integrity_tick(uint64_t now_us) {
  // Keep the deferred audit backlog small off the decision path: a few
  // records (~32,500 instructions each) per tick, about 1 % of a core.
  cfg_.engine->settle_audit(kAuditSettlePerTick);
  if (!cfg_.integrity || failed_) return;
  sink_.set_context(0, 0);
  cfg_.integrity->tick(now_us);
  publish_state();  // a measurement may have set integrity_state
}

Status Dispatcher::kernel_session(uint32_t cmd, uint32_t session,
                                  uint32_t kind) {
  if (session != 0 && clients_.kind(session) == TZU_CLIENT_KERNEL)
    return Status::kOk;
  record(kind, Status::kBadSession, cmd, session, 0, nullptr);
  return Status::kBadSession;
}

uint32_t Dispatcher::put_integrity_status(uint32_t rsp_cap) {
  constexpr uint32_t kFixed = sizeof(tzu_integrity_status);
  constexpr uint32_t kRegion = sizeof(tzu_integrity_region);
  const uint32_t room = (rsp_cap - kFixed) / kRegion;  // rsp_cap >= kFixed
  tzu_integrity_status st{};
  auto* regions =
      reinterpret_cast<tzu_integrity_region*>(cfg_.rsp + kFixed);
  const uint32_t n = cfg_.integrity->status(&st, regions, room, now());
  st.state = integrity_state();
  st.flags = integrity_flags();
  st.n_regions = n;
  memcpy(cfg_.rsp, &st, sizeof(st));
  return kFixed + n * kRegion;
}

Status Dispatcher::integrity_status(uint32_t rsp_cap, uint32_t* rsp_len) {
  tzu_session_req req;
  memcpy(&req, cfg_.req, sizeof(req));
  if (!session_ok(req.session)) return Status::kBadSession;
  if (!cfg_.integrity) return Status::kNotFound;
  *rsp_len = put_integrity_status(rsp_cap);
  return Status::kOk;
}

// A full pass costs a few milliseconds per MiB measured (docs/performance.md)
// with the normal world stopped; any client may ask, as often as the
// kernel's own calls allow. It only re-measures: it cannot improve a state.
Status Dispatcher::integrity_check(uint32_t rsp_cap, uint32_t* rsp_len) {
  tzu_session_req req;
  memcpy(&req, cfg_.req, sizeof(req));
  if (!session_ok(req.session)) return Status::kBadSession;
  if (!cfg_.integrity) return Status::kNotFound;
  sink_.set_context(TZU_CMD_INTEGRITY_CHECK, req.session);
  cfg_.integrity->full_pass(now());
  *rsp_len = put_integrity_status(rsp_cap);
  return Status::kOk;
}

Status Dispatcher::integrity_register(uint32_t rsp_cap, uint32_t* rsp_len) {
  tzu_session_req req;
  memcpy(&req, cfg_.req, sizeof(req));
  Status s = kernel_session(TZU_CMD_INTEGRITY_REGISTER, req.session,
                            TZU_AUDIT_KREGISTER);
  if (s != Status::kOk) return s;
  if (!cfg_.integrity) return Status::kNotFound;
  sink_.set_context(TZU_CMD_INTEGRITY_REGISTER, req.session);
  s = cfg_.integrity->register_kernel(now());  // the sink records it
  if (s != Status::kOk) return s;
  *rsp_len = put_integrity_status(rsp_cap);
  return Status::kOk;
}

Status Dispatcher::integrity_module(uint32_t* rsp_len) {
  tzu_integrity_module_req req;
  memcpy(&req, cfg_.req, sizeof(req));
  Status s = kernel_session(TZU_CMD_INTEGRITY_MODULE, req.session,
                            TZU_AUDIT_KMODULE);
  if (s != Status::kOk) return s;
  if (!cfg_.integrity) return Status::kNotFound;
  if ((req.op != TZU_KMOD_ADD && req.op != TZU_KMOD_DEL) ||
      bounded_strlen(req.name, sizeof(req.name)) < 0) {
    record(TZU_AUDIT_KMODULE, Status::kBadField, TZU_CMD_INTEGRITY_MODULE,
           req.session, (uint64_t{req.op} << 32) | req.va, nullptr);
    return Status::kBadField;
  }
  sink_.set_context(TZU_CMD_INTEGRITY_MODULE, req.session);
  s = cfg_.integrity->module(req, now());  // the sink records it
  if (s != Status::kOk) return s;
  tzu_integrity_module_rsp rsp{};
  rsp.state = integrity_state();
  memcpy(cfg_.rsp, &rsp, sizeof(rsp));
  *rsp_len = sizeof(rsp);
  return Status::kOk;
}

Status Dispatcher::heartbeat(uint32_t* rsp_len) {
  tzu_heartbeat_req req;
  memcpy(&req, cfg_.req, sizeof(req));
  Status s = kernel_session(TZU_CMD_HEARTBEAT, req.session, TZU_AUDIT_HEARTBEAT);
  if (s != Status::kOk) return s;
  if (!cfg_.integrity) return Status::kNotFound;
  sink_.set_context(TZU_CMD_HEARTBEAT, req.session);
  s = cfg_.integrity->heartbeat(req, decides_, now());
  if (s != Status::kOk) {
    record(TZU_AUDIT_HEARTBEAT, s, TZU_CMD_HEARTBEAT, req.session, req.seq,
           nullptr);
    return s;
  }
  tzu_integrity_status st{};
  cfg_.integrity->status(&st, nullptr, 0, now());
  tzu_heartbeat_rsp rsp{};
  rsp.state = integrity_state();
  rsp.heartbeat_ms = st.heartbeat_ms;
  sink_.drain(&rsp);
  memcpy(cfg_.rsp, &rsp, sizeof(rsp));
  *rsp_len = sizeof(rsp);
  return Status::kOk;
}

}  // namespace monitor
