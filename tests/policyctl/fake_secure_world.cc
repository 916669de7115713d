// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// fake_secure_world.cc - ABI command dispatch onto an in-process engine.
#include "fake_secure_world.h"

#include <cstring>

#include "crypto.h"
#include "ed25519.h"

namespace policyctl_test {
namespace {

template <typename T>
bool read_req(const std::uint8_t* req, std::size_t len, T* out) {
  if (len != sizeof(T)) return false;
  std::memcpy(out, req, sizeof(T));
  return true;
}

template <typename T>
std::vector<std::uint8_t> bytes_of(const T& v, std::size_t extra = 0) {
  std::vector<std::uint8_t> out(sizeof(T) + extra);
  std::memcpy(out.data(), &v, sizeof(T));
  return out;
}

class Forwarder : public policyctl::Transport {
 public:
  explicit Forwarder(FakeSecureWorld* w) : w_(w) {}
  std::vector<std::uint8_t> invoke(std::uint32_t cmd, const void* req, std::size_t len,
                                   std::size_t cap) override {
    return w_->serve(cmd, static_cast<const std::uint8_t*>(req), len, cap);
  }
  std::uint32_t session() const override { return FakeSecureWorld::kSession; }
  std::string describe() const override { return "fake secure world"; }

 private:
  FakeSecureWorld* w_;
};

}  // namespace

FakeSecureWorld::FakeSecureWorld(const std::vector<std::uint8_t>& key,
                                 const ucon::EngineConfig& cfg)
    : host_(key.data(), key.size(), cfg) {
  for (std::size_t i = 0; i < sizeof(nonce); ++i) nonce[i] = static_cast<std::uint8_t>(0xa0 + i);
}

policyc::KeyPair FakeSecureWorld::admin_key() {
  std::uint8_t seed[32];
  std::memset(seed, 0x33, sizeof(seed));
  return policyc::key_pair_from_seed(seed);
}

policyc::KeyPair FakeSecureWorld::device_key() {
  std::uint8_t seed[32];
  std::memset(seed, 0x44, sizeof(seed));
  return policyc::key_pair_from_seed(seed);
}

// The authorization rules of abi/tzucon_abi.h, written out independently of
// policyctl's admin_auth.cc so that the two check each other.
std::uint32_t FakeSecureWorld::check_auth(std::uint32_t cmd, const std::uint8_t* req,
                                          std::size_t len) {
  tzu_auth a;
  std::memcpy(&a, req + len - sizeof(a), sizeof(a));
  static const tzu_auth kZero{};
  std::uint32_t st = TZU_OK;
  const policyc::KeyPair admin = admin_key();
  std::uint8_t digest[32];
  ucon::sha256(req + TZU_AUTH_ARGS_OFFSET, len - sizeof(a) - TZU_AUTH_ARGS_OFFSET, digest);
  if (std::memcmp(&a, &kZero, sizeof(a)) == 0) {
    st = TZU_E_AUTH_REQUIRED;
  } else if (a.magic != TZU_AUTH_MAGIC || a.version != TZU_AUTH_VERSION || a.command != cmd) {
    st = TZU_E_AUTH;
  } else if (std::memcmp(a.device_id, engine().device_id(), sizeof(a.device_id)) != 0) {
    st = TZU_E_WRONG_DEVICE;
  } else if (std::memcmp(a.nonce, nonce, sizeof(nonce)) != 0 || a.counter != admin_counter) {
    st = TZU_E_REPLAY;
  } else if (std::memcmp(a.args_sha256, digest, sizeof(digest)) != 0 ||
             !ucon::ed25519_verify(admin.pub.data(), &a, offsetof(tzu_auth, signature),
                                   a.signature)) {
    st = TZU_E_AUTH;
  }
  if (st != TZU_OK) {
    auth_refusals.push_back(st);
  } else {
    ++admin_counter;
  }
  return st;
}

policyctl::Connector FakeSecureWorld::connector() {
  return [this](const std::string&) -> std::unique_ptr<policyctl::Transport> {
    return std::make_unique<Forwarder>(this);
  };
}

std::vector<std::uint8_t> FakeSecureWorld::serve(std::uint32_t cmd, const std::uint8_t* req,
                                                 std::size_t len, std::size_t cap) {
  commands.push_back(cmd);
  std::uint32_t status = TZU_OK;
  std::vector<std::uint8_t> rsp;
  tzu_hdr h;
  if (len < sizeof(h)) {
    status = TZU_E_BAD_SIZE;
  } else {
    std::memcpy(&h, req, sizeof(h));
    if (h.magic != TZU_MAGIC) status = TZU_E_BAD_MAGIC;
    else if (h.version != TZU_ABI_VERSION) status = TZU_E_BAD_VERSION;
    else if (h.command != cmd) status = TZU_E_BAD_COMMAND;
    else if (h.size != len) status = TZU_E_BAD_SIZE;
    else if (h.status != 0) status = TZU_E_BAD_FIELD;
  }
  if (status == TZU_OK) rsp = dispatch(cmd, req, len, cap, &status);
  if (status != TZU_OK) {
    request_errors.push_back("command " + std::to_string(cmd) + ": status " +
                             std::to_string(status));
    rsp.assign(sizeof(tzu_hdr), 0);
  }
  if (rsp.size() > cap) {
    request_errors.push_back("command " + std::to_string(cmd) + ": response too large");
    rsp.assign(sizeof(tzu_hdr), 0);
    status = TZU_E_BAD_SIZE;
  }
  tzu_hdr out;
  out.magic = bad_magic ? 0xdeadbeefu : TZU_MAGIC;
  out.version = TZU_ABI_VERSION;
  out.command = static_cast<std::uint16_t>(cmd);
  out.size = static_cast<std::uint32_t>(rsp.size());
  out.status = status;
  std::memcpy(rsp.data(), &out, sizeof(out));
  return rsp;
}

// [in] tzu_session_req [out] tzu_integrity_status + regions[n_regions].
std::vector<std::uint8_t> FakeSecureWorld::integrity_reply(std::uint32_t cmd,
                                                           const std::uint8_t* req,
                                                           std::size_t len,
                                                           std::uint32_t* status) {
  tzu_session_req r;
  if (!read_req(req, len, &r)) {
    *status = TZU_E_BAD_SIZE;
    return {};
  }
  if (r.session != kSession && r.session != 0) {
    *status = TZU_E_BAD_SESSION;
    return {};
  }
  if (cmd == TZU_CMD_INTEGRITY_CHECK) {
    ++integrity.passes;
    integrity.last_pass_us = integrity.now_us;
  }
  tzu_integrity_status st = integrity;
  const std::uint32_t n = static_cast<std::uint32_t>(regions.size());
  st.n_regions = integrity_claimed_regions != ~0u ? integrity_claimed_regions : n;
  auto out = bytes_of(st, n * sizeof(tzu_integrity_region));
  if (n) std::memcpy(out.data() + sizeof(st), regions.data(), n * sizeof(tzu_integrity_region));
  out.resize(static_cast<std::size_t>(static_cast<std::int64_t>(out.size()) + integrity_size_delta));
  return out;
}

std::vector<std::uint8_t> FakeSecureWorld::dispatch(std::uint32_t cmd, const std::uint8_t* req,
                                                    std::size_t len, std::size_t cap,
                                                    std::uint32_t* status) {
  ucon::Engine& e = host_.engine();
  switch (cmd) {
    case TZU_CMD_LOAD_POLICY: {
      tzu_load_policy_req r;
      if (len < sizeof(r)) break;
      std::memcpy(&r, req, sizeof(r));
      if ((r.session != kSession && r.session != 0)) {
        *status = TZU_E_BAD_SESSION;
        return {};
      }
      if (r.blob_size != len - sizeof(r)) break;
      ucon::LoadResult lr;
      ucon::Status s = e.load_policy(req + sizeof(r), r.blob_size, &lr);
      if (s != ucon::Status::kOk) {
        *status = ucon::to_wire(s);
        return {};
      }
      tzu_load_policy_rsp o{};
      o.epoch = lr.epoch;
      o.policy_version = lr.policy_version;
      o.interest_mask = lr.interest_mask;
      o.n_rules = lr.n_rules;
      o.n_revoked = lr.revoked.total;
      return bytes_of(o);
    }
    case TZU_CMD_SET_MODE: {
      tzu_set_mode_req r;
      if (!read_req(req, len, &r)) break;
      if ((r.session != kSession && r.session != 0)) {
        *status = TZU_E_BAD_SESSION;
        return {};
      }
      if ((*status = check_auth(cmd, req, len)) != TZU_OK) return {};
      *status = ucon::to_wire(e.set_mode(r.mode));
      return bytes_of(tzu_hdr{});
    }
    case TZU_CMD_GET_STATS: {
      if (len != sizeof(tzu_hdr) && len != sizeof(tzu_session_req)) break;
      tzu_stats st;
      e.stats(&st);
      return bytes_of(st);
    }
    case TZU_CMD_UPDATE_ATTR: {
      tzu_update_attr_req r;
      if (!read_req(req, len, &r)) break;
      if ((r.session != kSession && r.session != 0)) {
        *status = TZU_E_BAD_SESSION;
        return {};
      }
      if (!std::memchr(r.name, 0, sizeof(r.name))) {
        *status = TZU_E_BAD_FIELD;
        return {};
      }
      if ((*status = check_auth(cmd, req, len)) != TZU_OK) return {};
      std::int64_t v = 0;
      ucon::Revocations rev;
      ucon::Status s = e.update_attr(r.name, std::strlen(r.name), r.op, r.key,
                                     static_cast<std::int64_t>(r.value), &v, &rev);
      if (s != ucon::Status::kOk) {
        *status = ucon::to_wire(s);
        return {};
      }
      tzu_update_attr_rsp o{};
      o.value = static_cast<std::uint64_t>(v);
      o.n_revoked = rev.n;
      for (std::uint32_t i = 0; i < rev.n; ++i) {
        o.revoked[i] = rev.ids[i];
        o.revoked_tgid[i] = rev.tgids[i];
      }
      return bytes_of(o);
    }
    case TZU_CMD_READ_AUDIT: {
      tzu_read_audit_req r;
      if (!read_req(req, len, &r)) break;
      if ((r.session != kSession && r.session != 0)) {
        *status = TZU_E_BAD_SESSION;
        return {};
      }
      std::uint32_t room = static_cast<std::uint32_t>(
          (cap - sizeof(tzu_read_audit_rsp)) / sizeof(tzu_audit_record));
      std::uint32_t max = r.max_records < room ? r.max_records : room;
      std::vector<tzu_audit_record> recs(max ? max : 1);
      ucon::AuditReadInfo info;
      std::uint32_t n = e.audit().read(r.from_index, recs.data(), max, &info);
      if ((r.flags & TZU_AUDIT_READ_ACK) && n > 0) e.ack_audit(recs[n - 1].index + 1);
      if (corrupt_audit_hash && n >= 2) recs[1].hash[0] ^= 1;
      tzu_read_audit_rsp o{};
      o.first_index = info.first_index;
      o.next_index = info.next_index;
      o.dropped = info.dropped;
      o.n_records = n;
      std::memcpy(o.anchor, info.anchor, sizeof(o.anchor));
      auto out = bytes_of(o, n * sizeof(tzu_audit_record));
      std::memcpy(out.data() + sizeof(o), recs.data(), n * sizeof(tzu_audit_record));
      return out;
    }
    case TZU_CMD_END_USAGE: {
      tzu_end_usage_req r;
      if (!read_req(req, len, &r)) break;
      if ((*status = check_auth(cmd, req, len)) != TZU_OK) return {};
      ucon::Revocations rev;
      *status = ucon::to_wire(e.end_usage(r.usage, &rev));
      return bytes_of(tzu_hdr{});
    }
    case TZU_CMD_AUDIT_CONFIG: {
      tzu_audit_config_req r;
      if (!read_req(req, len, &r)) break;
      if ((*status = check_auth(cmd, req, len)) != TZU_OK) return {};
      if (r.op == TZU_AUDIT_OP_SET_OVERFLOW && r.value <= TZU_AUDIT_OVERFLOW_FAIL_CLOSED) {
        e.set_audit_fail_closed(r.value == TZU_AUDIT_OVERFLOW_FAIL_CLOSED);
      } else if (r.op == TZU_AUDIT_OP_RESET_COUNTERS) {
        e.reset_counters();
      } else {
        *status = TZU_E_BAD_FIELD;
      }
      return bytes_of(tzu_hdr{});
    }
    case TZU_CMD_GET_CHALLENGE: {
      tzu_session_req r;
      if (!read_req(req, len, &r)) break;
      tzu_challenge_rsp o{};
      std::memcpy(o.device_id, e.device_id(), sizeof(o.device_id));
      std::memcpy(o.nonce, nonce, sizeof(o.nonce));
      o.boot_counter = boot_counter;
      o.next_counter = admin_counter;
      return bytes_of(o);
    }
    case TZU_CMD_GET_REPORT: {
      tzu_report_req r;
      if (!read_req(req, len, &r)) break;
      tzu_report o{};
      o.magic = TZU_REPORT_MAGIC;
      o.version = TZU_REPORT_VERSION;
      const policyc::KeyPair dk = device_key();
      std::uint8_t id[32];
      ucon::sha256(dk.pub.data(), dk.pub.size(), id);
      std::memcpy(o.device_id, id, sizeof(o.device_id));
      std::memcpy(o.nonce, r.nonce, sizeof(o.nonce));
      o.boot_counter = boot_counter;
      o.policy_version = e.policy() ? 1 : 0;
      o.epoch = e.epoch();
      o.mode = e.mode();
      o.audit_next_index = e.audit().next_index();
      std::memcpy(o.audit_head, e.audit().head(), sizeof(o.audit_head));
      o.admin_counter = admin_counter;
      o.integrity_state = integrity.state;
      o.integrity_flags = integrity.flags;
      o.integrity_passes = integrity.passes;
      o.integrity_mismatches = integrity.mismatches;
      o.last_region_kind = last_detection.last_region_kind;
      o.last_region_va = last_detection.last_region_va;
      o.last_offset = last_detection.last_offset;
      std::memcpy(o.last_expected, last_detection.last_expected, sizeof(o.last_expected));
      std::memcpy(o.last_observed, last_detection.last_observed, sizeof(o.last_observed));
      std::memcpy(o.manifest_sha256, integrity.manifest_sha256, sizeof(o.manifest_sha256));
      auto* b = reinterpret_cast<std::uint8_t*>(&o);
      ucon::ed25519_sign(dk.seed.data(), dk.pub.data(), b + sizeof(tzu_hdr),
                         offsetof(tzu_report, signature) - sizeof(tzu_hdr), o.signature);
      return bytes_of(o);
    }
    case TZU_CMD_INTEGRITY_STATUS:
    case TZU_CMD_INTEGRITY_CHECK:
      return integrity_reply(cmd, req, len, status);
    default:
      *status = TZU_E_BAD_COMMAND;
      return {};
  }
  *status = TZU_E_BAD_SIZE;
  return {};
}

}  // namespace policyctl_test
