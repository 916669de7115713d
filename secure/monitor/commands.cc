// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// commands.cc - one handler per yielding command. Each reads only the secure
// copy of its request (already framed by Dispatcher::run) and builds its
// response in the secure response buffer; the header is added by the caller.
#include <stddef.h>
#include <string.h>

#include "dispatcher.h"
#include "message.h"
#include "policy.h"
#include "reader.h"

namespace monitor {

using ucon::Status;

namespace {

template <class T>
void read_req(const uint8_t* buf, T* out) {
  memcpy(out, buf, sizeof(T));  // size checked by Dispatcher::run
}

template <class T>
uint32_t put_rsp(uint8_t* buf, const T& rsp) {
  memcpy(buf, &rsp, sizeof(T));
  return sizeof(T);
}

void copy_revocations(const ucon::Revocations& rev, uint32_t* n,
                      uint32_t* ids, uint32_t* tgids) {
  *n = rev.n;
  for (uint32_t i = 0; i < rev.n && i < TZU_MAX_REVOKE; ++i) {
    ids[i] = rev.ids[i];
    tgids[i] = rev.tgids[i];
  }
}

}  // namespace

// Which request is authority (docs/threat-model.md): LOAD_POLICY (signed
// blob) and the [admin] commands SET_MODE, UPDATE_ATTR, END_USAGE and
// AUDIT_CONFIG (signed tzu_auth). OPEN/CLOSE_SESSION, GET_STATS, READ_AUDIT,
// INTEGRITY_CHECK, INTEGRITY_STATUS, GET_CHALLENGE and GET_REPORT are queries: they change no
// enforcement state. DECIDE (dispatcher.cc) and INTEGRITY_REGISTER,
// INTEGRITY_MODULE, HEARTBEAT (integrity_commands.cc) are events.

void Dispatcher::record(uint32_t kind, Status status, uint32_t cmd,
                        uint32_t session, uint64_t arg, const uint8_t* digest) {
  // Refusals cost an attacker nothing: past a per-boot budget they are only
  // counted (auth_failures, audit_unrecorded in the signed report), so they
  // can neither flush the ring nor fill a fail-closed one.
  // Kernel-integrity events the normal world sends (registration, modules,
  // heartbeats) are refusals of that kind too when they fail.
  const bool refusal = status != Status::kOk &&
                       (kind == TZU_AUDIT_AUTH_REFUSED || kind == TZU_AUDIT_POLICY_LOAD ||
                        kind == TZU_AUDIT_KREGISTER || kind == TZU_AUDIT_KMODULE ||
                        kind == TZU_AUDIT_HEARTBEAT);
  if (refusal && refusal_records_ >= kRefusalRecordBudget) {
    ++unrecorded_;
    return;
  }
  refusal_records_ += refusal ? 1 : 0;
  ucon::AuditLog::SecureRecord r;
  r.kind = kind;
  r.status = ucon::to_wire(status);
  r.command = cmd;
  r.session = session;
  r.flags = sf_flags();
  r.arg = arg;
  r.digest = digest;
  if (!cfg_.engine->audit_event(r)) ++unrecorded_;  // fail-closed ring full
  if (cfg_.log_event) cfg_.log_event(kind, r.status, arg);
}

uint32_t Dispatcher::sf_flags() const {
  tzu_stats st;
  stats(&st);
  return st.flags;
}

Status Dispatcher::admin(uint32_t cmd, uint32_t auth_off, uint32_t session) {
  const Status s = cfg_.authority->authorize(cmd, cfg_.req, auth_off);
  if (s != Status::kOk) {
    ++auth_failures_;
    tzu_auth a;
    memcpy(&a, cfg_.req + auth_off, sizeof(a));
    record(TZU_AUDIT_AUTH_REFUSED, s, cmd, session, a.counter, a.args_sha256);
  }
  return s;
}

Status Dispatcher::open_session(uint32_t* rsp_len) {
  tzu_open_session_req req;
  read_req(cfg_.req, &req);
  tzu_open_session_rsp rsp{};
  Status s = clients_.open(req.client_kind, &rsp.session);
  if (s != Status::kOk) return s;
  rsp.abi_version = TZU_ABI_VERSION;
  rsp.slot_size = TZU_SLOT_SIZE;
  rsp.nr_slots = cfg_.nr_slots;
  rsp.interest_mask = cfg_.engine->interest_mask();
  rsp.epoch = cfg_.engine->epoch();
  *rsp_len = put_rsp(cfg_.rsp, rsp);
  return Status::kOk;
}

Status Dispatcher::close_session(uint32_t* rsp_len) {
  tzu_session_req req;
  read_req(cfg_.req, &req);
  *rsp_len = sizeof(tzu_hdr);
  return clients_.close(req.session);
}

// The blob is already in secure memory (the request copy). The engine
// stages it (signature, device, structure, floor); the new floor is
// persisted before the swap, so a reboot can never go back below it.
Status Dispatcher::load_policy(uint32_t req_len, uint32_t* rsp_len) {
  Reader r(cfg_.req, req_len);
  tzu_load_policy_req req;
  const uint8_t* blob = nullptr;
  if (!r.read(&req)) return Status::kBadSize;
  if (!session_ok(req.session)) return Status::kBadSession;
  if (req.blob_size == 0 || req.blob_size != r.remaining() ||
      !r.take(req.blob_size, &blob))
    return Status::kBadSize;
  ucon::LoadResult res;
  Status s = cfg_.engine->stage_policy(blob, req.blob_size, false, &res);
  if (s == Status::kOk && cfg_.engine->is_active(res.digest)) {
    // A reload of the active blob changes nothing: no swap (epoch, audit
    // mode, sessions stay), no flash write (wear), no record (spam).
    tzu_load_policy_rsp rsp{};
    rsp.epoch = cfg_.engine->epoch();
    rsp.policy_version = res.policy_version;
    rsp.interest_mask = cfg_.engine->interest_mask();
    rsp.n_rules = cfg_.engine->policy()->n_rules();
    memcpy(rsp.policy_sha256, res.digest, sizeof(rsp.policy_sha256));
    *rsp_len = put_rsp(cfg_.rsp, rsp);
    return Status::kOk;
  }
  if (s == Status::kOk) s = cfg_.authority->persist_floor(res.policy_version, res.digest);
  if (s != Status::kOk) {
    record(TZU_AUDIT_POLICY_LOAD, s, TZU_CMD_LOAD_POLICY, req.session,
           res.policy_version, res.digest);
    return s;
  }
  cfg_.engine->commit_policy(&res);
  record(TZU_AUDIT_POLICY_LOAD, s, TZU_CMD_LOAD_POLICY, req.session,
         res.policy_version, res.digest);
  tzu_load_policy_rsp rsp{};
  rsp.epoch = res.epoch;
  rsp.policy_version = res.policy_version;
  rsp.interest_mask = res.interest_mask;
  rsp.n_rules = res.n_rules;
  rsp.n_revoked = res.revoked.total;
  memcpy(rsp.policy_sha256, res.digest, sizeof(rsp.policy_sha256));
  *rsp_len = put_rsp(cfg_.rsp, rsp);
  return Status::kOk;
}

Status Dispatcher::set_mode(uint32_t* rsp_len) {
  tzu_set_mode_req req;
  read_req(cfg_.req, &req);
  if (!session_ok(req.session)) return Status::kBadSession;
  *rsp_len = sizeof(tzu_hdr);
  // Arguments first: a well-signed token for an impossible mode must not
  // use up the counter.
  if (req.mode != TZU_MODE_ENFORCE && req.mode != TZU_MODE_PERMISSIVE)
    return Status::kBadField;
  Status s = admin(TZU_CMD_SET_MODE, offsetof(tzu_set_mode_req, auth), req.session);
  if (s != Status::kOk) return s;
  s = cfg_.engine->set_mode(req.mode);
  record(TZU_AUDIT_MODE, s, TZU_CMD_SET_MODE, req.session, req.mode,
         req.auth.args_sha256);
  return s;
}

// The engine's statistics completed with what only the monitor knows.
void Dispatcher::stats(tzu_stats* st) const {
  cfg_.engine->stats(st);
  st->errors += errors_;  // requests the monitor rejected before the engine
  st->auth_failures = auth_failures_;
  st->boot_counter = cfg_.authority->boot_counter();
  st->admin_counter = cfg_.authority->admin_counter();
  st->storage_state = cfg_.authority->storage_state();
  st->flags |= boot_.cmdline_weak ? TZU_SF_CMDLINE_WEAK : 0;
  st->client_sessions = clients_.live();
  if (cfg_.integrity) st->integrity_state = integrity_state();
}

Status Dispatcher::get_stats(uint32_t* rsp_len) {
  tzu_stats st;
  stats(&st);
  *rsp_len = put_rsp(cfg_.rsp, st);
  return Status::kOk;
}

Status Dispatcher::read_audit(uint32_t rsp_cap, uint32_t* rsp_len) {
  tzu_read_audit_req req;
  read_req(cfg_.req, &req);
  if (!session_ok(req.session)) return Status::kBadSession;
  if (req.flags & ~TZU_AUDIT_READ_ACK) return Status::kBadField;
  constexpr uint32_t kFixed = sizeof(tzu_read_audit_rsp);
  constexpr uint32_t kRecord = sizeof(tzu_audit_record);
  const uint32_t room = (rsp_cap - kFixed) / kRecord;  // rsp_cap >= kFixed
  const uint32_t max = req.max_records < room ? req.max_records : room;
  auto* records = reinterpret_cast<tzu_audit_record*>(
      cfg_.rsp + sizeof(tzu_read_audit_rsp));
  ucon::AuditReadInfo info{};
  const uint32_t n = cfg_.engine->audit().read(req.from_index, records, max,
                                               &info);
  // Draining is not authority: a reader that acks and discards records
  // leaves a gap that the owner's log shows (first_index > from_index).
  if (req.flags & TZU_AUDIT_READ_ACK) cfg_.engine->ack_audit(info.first_index + n);
  tzu_read_audit_rsp rsp{};
  rsp.first_index = info.first_index;
  rsp.next_index = info.next_index;
  rsp.dropped = info.dropped;
  rsp.n_records = n;
  memcpy(rsp.anchor, info.anchor, sizeof(rsp.anchor));
  put_rsp(cfg_.rsp, rsp);
  *rsp_len = kFixed + n * kRecord;
  return Status::kOk;
}

Status Dispatcher::update_attr(uint32_t* rsp_len) {
  tzu_update_attr_req req;
  read_req(cfg_.req, &req);
  if (!session_ok(req.session)) return Status::kBadSession;
  const int32_t len = bounded_strlen(req.name, sizeof(req.name));
  if (len <= 0) return Status::kBadField;
  Status s = admin(TZU_CMD_UPDATE_ATTR, offsetof(tzu_update_attr_req, auth),
                   req.session);
  if (s != Status::kOk) return s;
  int64_t value = 0;
  ucon::Revocations rev;
  uint32_t tgid = 0;
  s = cfg_.engine->update_attr(req.name, static_cast<size_t>(len), req.op,
                               req.key, static_cast<int64_t>(req.value),
                               &value, &rev, &tgid);
  record(TZU_AUDIT_ATTR_WRITE, s, TZU_CMD_UPDATE_ATTR, req.session,
         static_cast<uint64_t>(value), req.auth.args_sha256);
  if (s != Status::kOk) return s;
  tzu_update_attr_rsp rsp{};
  rsp.value = static_cast<uint64_t>(value);
  rsp.tgid = tgid;
  copy_revocations(rev, &rsp.n_revoked, rsp.revoked, rsp.revoked_tgid);
  *rsp_len = put_rsp(cfg_.rsp, rsp);
  return Status::kOk;
}

Status Dispatcher::end_usage(uint32_t* rsp_len) {
  tzu_end_usage_req req;
  read_req(cfg_.req, &req);
  if (!session_ok(req.session)) return Status::kBadSession;
  if (req.usage == 0) return Status::kBadField;
  *rsp_len = sizeof(tzu_hdr);
  Status s = admin(TZU_CMD_END_USAGE, offsetof(tzu_end_usage_req, auth),
                   req.session);
  if (s != Status::kOk) return s;
  ucon::Revocations rev;
  s = cfg_.engine->end_usage(req.usage, &rev);
  record(TZU_AUDIT_USAGE_END, s, TZU_CMD_END_USAGE, req.session, req.usage,
         req.auth.args_sha256);
  return s;
}

Status Dispatcher::get_challenge(uint32_t* rsp_len) {
  tzu_session_req req;
  read_req(cfg_.req, &req);
  if (!session_ok(req.session)) return Status::kBadSession;
  // No nonce while this boot's counter is not persisted: the next boot
  // could start from the same counter, and a token made now would then be
  // valid there (the nonce is unique per boot only through the counter).
  if (!cfg_.authority->storage_usable()) return Status::kStorage;
  tzu_challenge_rsp rsp{};
  memcpy(rsp.device_id, cfg_.authority->device_id(), sizeof(rsp.device_id));
  memcpy(rsp.nonce, cfg_.authority->nonce(), sizeof(rsp.nonce));
  rsp.boot_counter = cfg_.authority->boot_counter();
  rsp.next_counter = cfg_.authority->admin_counter();
  *rsp_len = put_rsp(cfg_.rsp, rsp);
  return Status::kOk;
}

Status Dispatcher::get_report(uint32_t* rsp_len) {
  tzu_report_req req;
  read_req(cfg_.req, &req);
  if (!session_ok(req.session)) return Status::kBadSession;
  tzu_stats st;
  stats(&st);
  const ucon::Policy* p = cfg_.engine->policy();
  tzu_report rep{};
  rep.magic = TZU_REPORT_MAGIC;
  rep.version = TZU_REPORT_VERSION;
  memcpy(rep.device_id, cfg_.authority->device_id(), sizeof(rep.device_id));
  memcpy(rep.nonce, req.nonce, sizeof(rep.nonce));
  rep.boot_counter = st.boot_counter;
  if (p) memcpy(rep.policy_sha256, p->digest(), sizeof(rep.policy_sha256));
  rep.policy_version = st.policy_version;
  rep.epoch = st.epoch;
  rep.mode = st.mode;
  rep.integrity_state = st.integrity_state;
  rep.storage_state = st.storage_state;
  rep.flags = st.flags;
  rep.rollback_floor = st.rollback_floor;
  memcpy(rep.cmdline_sha256, boot_.cmdline_sha256, sizeof(rep.cmdline_sha256));
  rep.audit_next_index = cfg_.engine->audit().next_index();
  memcpy(rep.audit_head, cfg_.engine->audit().head(), sizeof(rep.audit_head));
  rep.audit_dropped = st.audit_dropped;
  rep.audit_acked = cfg_.engine->audit().acked();
  rep.audit_unrecorded = static_cast<uint32_t>(unrecorded_ + cfg_.engine->audit().refused());
  rep.decisions = st.decisions;
  rep.denied = st.denied;
  rep.auth_failures = st.auth_failures;
  rep.errors = st.errors;
  rep.admin_counter = st.admin_counter;
  if (cfg_.integrity) {
    tzu_integrity_status is{};
    cfg_.integrity->status(&is, nullptr, 0, now());
    rep.integrity_passes = is.passes;
    rep.integrity_mismatches = is.mismatches;
    rep.integrity_flags = integrity_flags();
    const integrity::Mismatch& m = cfg_.integrity->last_mismatch();
    rep.last_region_kind = m.kind;
    rep.last_region_va = m.va;
    rep.last_offset = m.offset;
    memcpy(rep.last_expected, m.expected, sizeof(rep.last_expected));
    memcpy(rep.last_observed, m.observed, sizeof(rep.last_observed));
    memcpy(rep.manifest_sha256, is.manifest_sha256, sizeof(rep.manifest_sha256));
  }
  rep.hdr = make_header(TZU_CMD_GET_REPORT, sizeof(rep), Status::kOk);
  cfg_.authority->sign_report(&rep);
  *rsp_len = put_rsp(cfg_.rsp, rep);
  if (cfg_.log_report) cfg_.log_report(req.nonce);
  return Status::kOk;
}

Status Dispatcher::audit_config(uint32_t* rsp_len) {
  tzu_audit_config_req req;
  read_req(cfg_.req, &req);
  if (!session_ok(req.session)) return Status::kBadSession;
  *rsp_len = sizeof(tzu_hdr);
  if (req.op == TZU_AUDIT_OP_SET_OVERFLOW
          ? req.value > TZU_AUDIT_OVERFLOW_FAIL_CLOSED
          : req.op != TZU_AUDIT_OP_RESET_COUNTERS)
    return Status::kBadField;
  Status s = admin(TZU_CMD_AUDIT_CONFIG, offsetof(tzu_audit_config_req, auth),
                   req.session);
  if (s != Status::kOk) return s;
  if (req.op == TZU_AUDIT_OP_SET_OVERFLOW) {
    cfg_.engine->set_audit_fail_closed(req.value == TZU_AUDIT_OVERFLOW_FAIL_CLOSED);
    record(TZU_AUDIT_CONFIG, s, TZU_CMD_AUDIT_CONFIG, req.session, req.value,
           req.auth.args_sha256);
  } else {
    tzu_stats st;
    cfg_.engine->stats(&st);
    cfg_.engine->reset_counters();
    errors_ = 0;
    record(TZU_AUDIT_RESET, s, TZU_CMD_AUDIT_CONFIG, req.session,
           st.decisions, req.auth.args_sha256);
  }
  return s;
}

}  // namespace monitor
