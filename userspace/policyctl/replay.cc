// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// replay.cc - host-side engine instance and trace replay.
#include "replay.h"

#include <cstring>

#include "ed25519.h"
#include "status.h"

namespace policyctl {

// "host-test": the same bytes as policyc::kHostTestDevice (the compiler's
// default device for host tools; policyctl_cli_test checks they agree).
const std::uint8_t kHostDeviceId[TZU_DEVICE_ID_LEN] = {'h', 'o', 's', 't', '-',
                                                       't', 'e', 's', 't'};

HostEngine::HostEngine(const std::uint8_t policy_pub[32], const std::uint8_t device_id[16],
                       const ucon::EngineConfig& cfg)
    : engine_(new ucon::Engine()) {
  init(policy_pub, device_id, cfg);
}

HostEngine::HostEngine(const std::uint8_t* seed, std::size_t seed_len,
                       const ucon::EngineConfig& cfg)
    : engine_(new ucon::Engine()) {
  std::uint8_t pub[32] = {};
  if (seed_len != 32) return;  // init_status_ stays kInternal
  ucon::ed25519_public_key(seed, pub);
  init(pub, kHostDeviceId, cfg);
}

void HostEngine::init(const std::uint8_t policy_pub[32], const std::uint8_t device_id[16],
                      const ucon::EngineConfig& cfg) {
  std::size_t bytes = ucon::Engine::arena_bytes(cfg);
  std::size_t words = (bytes + 7) / 8;
  arena_.reset(new std::uint64_t[words ? words : 1]);
  init_status_ = engine_->init(arena_.get(), words * 8, cfg, policy_pub, device_id);
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
      if (st == ucon::Status::kNotWritable && c.attr_op == TZU_ATTR_OP_SET && c.key == 0) {
        // Not an admin attribute: perhaps one the secure world measures.
        ucon::Revocations srev;
        ucon::Status s2 = engine_->set_secure_attr(c.name.data(), c.name.size(), c.value, &srev);
        if (s2 == ucon::Status::kOk) {
          st = s2;
          value = c.value;
          rev = srev;
        }
      }
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
