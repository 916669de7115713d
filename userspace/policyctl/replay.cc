// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// replay.cc - host-side engine instance and trace replay.
#include "replay.h"

#include <cstring>

#include "status.h"

namespace policyctl {

HostEngine::HostEngine(const std::uint8_t* key, std::size_t key_len,
                       const ucon::EngineConfig& cfg)
    : engine_(new ucon::Engine()) {
  std::size_t bytes = ucon::Engine::arena_bytes(cfg);
  std::size_t words = (bytes + 7) / 8;
  arena_.reset(new std::uint64_t[words ? words : 1]);
  init_status_ = engine_->init(arena_.get(), words * 8, cfg, key, key_len);
}

ucon::Status HostEngine::load(const std::vector<std::uint8_t>& blob,
                              ucon::LoadResult* out) {
  return engine_->load_policy(blob.data(), blob.size(), out);
}

Json revocations_to_json(const ucon::Revocations& rev) {
  Json ids = Json::array();
  std::uint32_t n = rev.n < TZU_MAX_REVOKE ? rev.n : TZU_MAX_REVOKE;
  for (std::uint32_t i = 0; i < n; ++i) ids.push_back(rev.ids[i]);
  return ids;
}

Json Replayer::step(const TraceStep& s) {
  return s.is_command ? command(s.command) : decide(s.event);
}

Json Replayer::decide(const tzu_event& ev, const ucon::Trace* trace) {
  const ucon::AuditLog& audit = engine_->audit();
  std::uint64_t before = audit.next_index();
  tzu_decision d;
  std::memset(&d, 0, sizeof(d));
  engine_->decide(ev, &d, trace);  // a bad status is in d.hdr.status
  Json line = decision_to_json(d, ev.hook, names_);
  if (audit.next_index() > before) {
    // The record this decision appended is the newest one.
    tzu_audit_record rec;
    ucon::AuditReadInfo info;
    if (audit.read(audit.next_index() - 1, &rec, 1, &info) == 1) {
      line["audit"] = Json{{"index", rec.index},
                           {"hash", to_hex(rec.hash, sizeof(rec.hash))}};
    }
  }
  return line;
}

Json Replayer::command(const TraceCommand& c) {
  Json line = command_to_json(c);
  ucon::Status st = ucon::Status::kOk;
  switch (c.op) {
    case TraceCommand::Op::kUpdateAttr: {
      std::int64_t value = 0;
      ucon::Revocations rev;
      st = engine_->update_attr(c.name.data(), c.name.size(), c.attr_op, c.key,
                                c.value, &value, &rev);
      if (st == ucon::Status::kOk) line["new_value"] = value;
      line["revoked"] = revocations_to_json(rev);
      break;
    }
    case TraceCommand::Op::kEndUsage: {
      ucon::Revocations rev;
      st = engine_->end_usage(c.session, &rev);
      line["revoked"] = revocations_to_json(rev);
      break;
    }
    case TraceCommand::Op::kSetMode:
      st = engine_->set_mode(c.mode);
      break;
  }
  line["status"] = ucon::status_name(st);
  return line;
}

}  // namespace policyctl
