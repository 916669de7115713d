// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// commands.cc - one handler per yielding command. Each reads only the secure
// copy of its request (already framed by Dispatcher::run) and builds its
// response in the secure response buffer; the header is added by the caller.
#include <string.h>

#include "dispatcher.h"
#include "message.h"
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

// The blob is already in secure memory (the request copy); the engine
// verifies its HMAC and version and swaps atomically, or leaves the active
// policy untouched.
Status Dispatcher::load_policy(uint32_t req_len, uint32_t* rsp_len) {
  Reader r(cfg_.req, req_len);
  tzu_load_policy_req req;
  const uint8_t* blob = nullptr;
  if (!r.read(&req)) return Status::kBadSize;
  if (!clients_.valid(req.session)) return Status::kBadSession;
  if (req.blob_size == 0 || req.blob_size != r.remaining() ||
      !r.take(req.blob_size, &blob))
    return Status::kBadSize;
  ucon::LoadResult res;
  Status s = cfg_.engine->load_policy(blob, req.blob_size, &res);
  if (s != Status::kOk) return s;
  tzu_load_policy_rsp rsp{};
  rsp.epoch = res.epoch;
  rsp.policy_version = res.policy_version;
  rsp.interest_mask = res.interest_mask;
  rsp.n_rules = res.n_rules;
  rsp.n_revoked = res.revoked.total;
  *rsp_len = put_rsp(cfg_.rsp, rsp);
  return Status::kOk;
}

Status Dispatcher::set_mode(uint32_t* rsp_len) {
  tzu_set_mode_req req;
  read_req(cfg_.req, &req);
  if (!clients_.valid(req.session)) return Status::kBadSession;
  *rsp_len = sizeof(tzu_hdr);
  return cfg_.engine->set_mode(req.mode);
}

Status Dispatcher::get_stats(uint32_t* rsp_len) {
  tzu_stats st;
  cfg_.engine->stats(&st);
  st.errors += errors_;  // requests the monitor rejected before the engine
  *rsp_len = put_rsp(cfg_.rsp, st);
  return Status::kOk;
}

Status Dispatcher::read_audit(uint32_t rsp_cap, uint32_t* rsp_len) {
  tzu_read_audit_req req;
  read_req(cfg_.req, &req);
  if (!clients_.valid(req.session)) return Status::kBadSession;
  constexpr uint32_t kFixed = sizeof(tzu_read_audit_rsp);
  constexpr uint32_t kRecord = sizeof(tzu_audit_record);
  const uint32_t room = (rsp_cap - kFixed) / kRecord;  // rsp_cap >= kFixed
  const uint32_t max = req.max_records < room ? req.max_records : room;
  auto* records = reinterpret_cast<tzu_audit_record*>(
      cfg_.rsp + sizeof(tzu_read_audit_rsp));
  ucon::AuditReadInfo info{};
  const uint32_t n = cfg_.engine->audit().read(req.from_index, records, max,
                                               &info);
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
  if (!clients_.valid(req.session)) return Status::kBadSession;
  const int32_t len = bounded_strlen(req.name, sizeof(req.name));
  if (len <= 0) return Status::kBadField;
  int64_t value = 0;
  ucon::Revocations rev;
  Status s = cfg_.engine->update_attr(req.name, static_cast<size_t>(len),
                                      req.op, req.key,
                                      static_cast<int64_t>(req.value), &value,
                                      &rev);
  if (s != Status::kOk) return s;
  tzu_update_attr_rsp rsp{};
  rsp.value = static_cast<uint64_t>(value);
  copy_revocations(rev, &rsp.n_revoked, rsp.revoked, rsp.revoked_tgid);
  *rsp_len = put_rsp(cfg_.rsp, rsp);
  return Status::kOk;
}

// Validates the range a later measurement would cover and answers with the
// current state. No measurement is implemented yet (a later issue), so the
// answer says so: measured = 0, state UNKNOWN, digest all zero.
Status Dispatcher::integrity_check(uint32_t* rsp_len) {
  tzu_integrity_req req;
  read_req(cfg_.req, &req);
  if (!clients_.valid(req.session)) return Status::kBadSession;
  const uint64_t lo = req.text_start;
  const uint64_t len = req.text_len;
  const uint64_t ram_end = cfg_.ns_ram_base + cfg_.ns_ram_size;
  if (len == 0 || lo < cfg_.ns_ram_base || lo > ram_end ||
      len > ram_end - lo)
    return Status::kBadField;
  const uint64_t sec_end = cfg_.secure_base + cfg_.secure_size;
  if (lo < sec_end && lo + len > cfg_.secure_base) return Status::kBadField;
  tzu_integrity_rsp rsp{};
  rsp.state = TZU_INTEGRITY_UNKNOWN;
  rsp.measured = 0;
  *rsp_len = put_rsp(cfg_.rsp, rsp);
  return Status::kOk;
}

Status Dispatcher::end_usage(uint32_t* rsp_len) {
  tzu_session_req req;
  read_req(cfg_.req, &req);
  if (!clients_.valid(req.session)) return Status::kBadSession;
  if (req.usage == 0) return Status::kBadField;
  ucon::Revocations rev;
  *rsp_len = sizeof(tzu_hdr);
  return cfg_.engine->end_usage(req.usage, &rev);
}

}  // namespace monitor
