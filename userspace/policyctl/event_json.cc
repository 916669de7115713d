// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// event_json.cc - JSON <-> wire codec for trace events, commands, decisions.
#include "event_json.h"

#include <cstddef>
#include <cstdio>
#include <cstring>
#include <iterator>

#include "fields.h"
#include "integrity_names.h"
#include "status.h"

namespace policyctl {
namespace {

enum class Kind { kU32, kU64, kDigest, kString };

// One JSON key of "subject" or "object" and where it lands in the struct.
struct Member {
  const char* key;
  Kind kind;
  std::size_t offset;
  std::size_t size;
};

#define SUBJ(key, kind, m) \
  {key, Kind::kind, offsetof(tzu_subject, m), sizeof(tzu_subject::m)}
const Member kSubject[] = {
    SUBJ("pid", kU32, pid),         SUBJ("tgid", kU32, tgid),
    SUBJ("uid", kU32, uid),         SUBJ("euid", kU32, euid),
    SUBJ("gid", kU32, gid),         SUBJ("egid", kU32, egid),
    SUBJ("exe_dev", kU32, exe_dev), SUBJ("exe_ino", kU64, exe_ino),
    SUBJ("exe_gen", kU32, exe_gen), SUBJ("start_time", kU64, start_time),
    SUBJ("exe_sha256", kDigest, exe_sha256), SUBJ("comm", kString, comm),
};
#undef SUBJ

#define OBJ(key, kind, m) \
  {key, Kind::kind, offsetof(tzu_object, m), sizeof(tzu_object::m)}
const Member kObject[] = {
    OBJ("addr", kU64, addr),   OBJ("len", kU64, len),
    OBJ("prot", kU32, prot),   OBJ("old_prot", kU32, old_prot),
    OBJ("flags", kU32, flags), OBJ("kind", kU32, kind),
    OBJ("id", kU32, id),       OBJ("dev", kU32, dev),
    OBJ("ino", kU64, ino),     OBJ("mode", kU32, mode),
    OBJ("sha256", kDigest, sha256), OBJ("type", kString, type),
    OBJ("name", kString, name),
};
#undef OBJ

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

std::uint64_t get_uint(const Json& v, const std::string& what,
                       std::uint64_t max) {
  if (!v.is_number_integer()) {
    throw JsonError(what + ": expected a non-negative integer");
  }
  if (v.is_number_unsigned()) {
    auto u = v.get<std::uint64_t>();
    if (u > max) throw JsonError(what + ": value out of range");
    return u;
  }
  auto s = v.get<std::int64_t>();
  if (s < 0) throw JsonError(what + ": expected a non-negative integer");
  if (static_cast<std::uint64_t>(s) > max) {
    throw JsonError(what + ": value out of range");
  }
  return static_cast<std::uint64_t>(s);
}

std::int64_t get_int(const Json& v, const std::string& what) {
  if (v.is_number_unsigned()) {
    auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(INT64_MAX)) {
      throw JsonError(what + ": value out of range");
    }
    return static_cast<std::int64_t>(u);
  }
  if (!v.is_number_integer()) throw JsonError(what + ": expected an integer");
  return v.get<std::int64_t>();
}

const std::string& get_string(const Json& v, const std::string& what) {
  if (!v.is_string()) throw JsonError(what + ": expected a string");
  return v.get_ref<const std::string&>();
}

// Fills `base` (a tzu_subject or tzu_object) from a JSON object.
// Returns true if a digest member was given.
bool parse_members(const Json& j, const char* section, const Member* table,
                   std::size_t n, std::uint8_t* base) {
  if (!j.is_object()) throw JsonError(std::string(section) + ": expected an object");
  bool digest = false;
  for (const auto& [key, v] : j.items()) {
    const Member* m = nullptr;
    for (std::size_t i = 0; i < n; ++i) {
      if (key == table[i].key) m = &table[i];
    }
    const std::string what = std::string(section) + "." + key;
    if (!m) throw JsonError(std::string(section) + ": unknown key " + quoted(key));
    std::uint8_t* p = base + m->offset;
    switch (m->kind) {
      case Kind::kU32: {
        auto u = static_cast<std::uint32_t>(get_uint(v, what, UINT32_MAX));
        std::memcpy(p, &u, 4);
        break;
      }
      case Kind::kU64: {
        std::uint64_t u = get_uint(v, what, UINT64_MAX);
        std::memcpy(p, &u, 8);
        break;
      }
      case Kind::kDigest:
        if (!from_hex(get_string(v, what), p, m->size)) {
          throw JsonError(what + ": expected " + std::to_string(2 * m->size) +
                          " hex digits");
        }
        digest = true;
        break;
      case Kind::kString: {
        const std::string& s = get_string(v, what);
        // The wire needs a NUL inside the array, so size - 1 bytes at most.
        if (s.size() >= m->size) {
          throw JsonError(what + ": longer than " + std::to_string(m->size - 1) +
                          " bytes");
        }
        if (s.find('\0') != std::string::npos) {
          throw JsonError(what + ": contains a NUL byte");
        }
        std::memcpy(p, s.data(), s.size());
        break;
      }
    }
  }
  return digest;
}

Json members_to_json(const Member* table, std::size_t n, const std::uint8_t* base) {
  Json out = Json::object();
  for (std::size_t i = 0; i < n; ++i) {
    const Member& m = table[i];
    const std::uint8_t* p = base + m.offset;
    switch (m.kind) {
      case Kind::kU32: {
        std::uint32_t u;
        std::memcpy(&u, p, 4);
        if (u) out[m.key] = u;
        break;
      }
      case Kind::kU64: {
        std::uint64_t u;
        std::memcpy(&u, p, 8);
        if (u) out[m.key] = u;
        break;
      }
      case Kind::kDigest: {
        static const std::uint8_t zero[TZU_SHA256_LEN] = {};
        if (std::memcmp(p, zero, m.size) != 0) out[m.key] = to_hex(p, m.size);
        break;
      }
      case Kind::kString: {
        const char* s = reinterpret_cast<const char*>(p);
        std::size_t len = strnlen(s, m.size);
        if (len) out[m.key] = std::string(s, len);
        break;
      }
    }
  }
  return out;
}

void require_object(const Json& j) {
  if (!j.is_object()) throw JsonError("expected a JSON object");
}

}  // namespace

bool is_command(const Json& j) {
  require_object(j);
  bool op = j.contains("op");
  bool hook = j.contains("hook");
  if (op && hook) throw JsonError("both \"op\" and \"hook\" given");
  if (!op && !hook) throw JsonError("neither \"hook\" (event) nor \"op\" (command) given");
  return op;
}

tzu_event event_from_json(const Json& j) {
  require_object(j);
  tzu_event ev;
  std::memset(&ev, 0, sizeof(ev));
  ev.hdr.magic = TZU_MAGIC;
  ev.hdr.version = TZU_ABI_VERSION;
  ev.hdr.command = TZU_CMD_DECIDE;
  ev.hdr.size = sizeof(ev);
  bool have_hook = false;
  std::uint32_t digest_flags = 0;
  for (const auto& [key, v] : j.items()) {
    if (key == "hook") {
      const std::string& name = get_string(v, "hook");
      ev.hook = ucon::hook_by_name(name.data(), name.size());
      if (ev.hook == TZU_HOOK_NONE) throw JsonError("hook: unknown hook " + quoted(name));
      have_hook = true;
    } else if (key == "seq") {
      ev.seq = get_uint(v, "seq", UINT64_MAX);
    } else if (key == "flags") {
      ev.flags = static_cast<std::uint32_t>(get_uint(v, "flags", UINT32_MAX));
    } else if (key == "cpu") {
      ev.cpu = static_cast<std::uint32_t>(get_uint(v, "cpu", UINT32_MAX));
    } else if (key == "subject") {
      if (parse_members(v, "subject", kSubject, std::size(kSubject),
                        reinterpret_cast<std::uint8_t*>(&ev.subject))) {
        digest_flags |= TZU_EVF_EXE_DIGEST;
      }
    } else if (key == "object") {
      if (parse_members(v, "object", kObject, std::size(kObject),
                        reinterpret_cast<std::uint8_t*>(&ev.object))) {
        digest_flags |= TZU_EVF_OBJ_DIGEST;
      }
    } else {
      throw JsonError("event: unknown key " + quoted(key));
    }
  }
  if (!have_hook) throw JsonError("event: missing \"hook\"");
  ev.flags |= digest_flags;
  return ev;
}

Json event_to_json(const tzu_event& ev) {
  Json out = Json::object();
  const char* hook = ucon::hook_name(ev.hook);
  if (hook) {
    out["hook"] = hook;
  } else {
    out["hook"] = ev.hook;  // not parseable back, but shows what was there
  }
  if (ev.seq) out["seq"] = ev.seq;
  // Digest flags are implied by the digests themselves.
  std::uint32_t flags = ev.flags & ~(TZU_EVF_EXE_DIGEST | TZU_EVF_OBJ_DIGEST);
  if (flags) out["flags"] = flags;
  if (ev.cpu) out["cpu"] = ev.cpu;
  Json s = members_to_json(kSubject, std::size(kSubject),
                           reinterpret_cast<const std::uint8_t*>(&ev.subject));
  if (!s.empty()) out["subject"] = s;
  Json o = members_to_json(kObject, std::size(kObject),
                           reinterpret_cast<const std::uint8_t*>(&ev.object));
  if (!o.empty()) out["object"] = o;
  return out;
}

TraceCommand command_from_json(const Json& j) {
  require_object(j);
  TraceCommand c;
  const std::string& op = get_string(j.at("op"), "op");
  auto check_keys = [&](std::initializer_list<const char*> allowed) {
    for (const auto& [key, v] : j.items()) {
      bool ok = key == "op";
      for (const char* a : allowed) ok = ok || key == a;
      if (!ok) throw JsonError(op + ": unknown key " + quoted(key));
    }
  };
  if (op == "update_attr") {
    check_keys({"name", "key", "value", "attr_op"});
    c.op = TraceCommand::Op::kUpdateAttr;
    if (!j.contains("name")) throw JsonError("update_attr: missing \"name\"");
    c.name = get_string(j["name"], "name");
    if (c.name.empty() || c.name.size() >= TZU_NAME_LEN) {
      throw JsonError("name: must be 1.." + std::to_string(TZU_NAME_LEN - 1) +
                      " bytes");
    }
    if (j.contains("key")) c.key = get_uint(j["key"], "key", UINT64_MAX);
    if (j.contains("value")) c.value = get_int(j["value"], "value");
    if (j.contains("attr_op")) {
      const std::string& s = get_string(j["attr_op"], "attr_op");
      c.attr_op = attr_op_by_name(s);
      if (!c.attr_op) throw JsonError("attr_op: unknown operation " + quoted(s));
    }
  } else if (op == "end_usage") {
    check_keys({"session"});
    c.op = TraceCommand::Op::kEndUsage;
    if (!j.contains("session")) throw JsonError("end_usage: missing \"session\"");
    c.session = static_cast<std::uint32_t>(get_uint(j["session"], "session", UINT32_MAX));
  } else if (op == "set_mode") {
    check_keys({"mode"});
    c.op = TraceCommand::Op::kSetMode;
    if (!j.contains("mode")) throw JsonError("set_mode: missing \"mode\"");
    const std::string& m = get_string(j["mode"], "mode");
    if (m == "enforce") {
      c.mode = TZU_MODE_ENFORCE;
    } else if (m == "permissive") {
      c.mode = TZU_MODE_PERMISSIVE;
    } else {
      throw JsonError("mode: expected \"enforce\" or \"permissive\", got " + quoted(m));
    }
  } else {
    throw JsonError("op: unknown command " + quoted(op));
  }
  return c;
}

Json command_to_json(const TraceCommand& c) {
  Json out = Json::object();
  switch (c.op) {
    case TraceCommand::Op::kUpdateAttr:
      out["op"] = "update_attr";
      out["name"] = c.name;
      out["key"] = c.key;
      out["value"] = c.value;
      out["attr_op"] = attr_op_name(c.attr_op) ? attr_op_name(c.attr_op) : "?";
      break;
    case TraceCommand::Op::kEndUsage:
      out["op"] = "end_usage";
      out["session"] = c.session;
      break;
    case TraceCommand::Op::kSetMode:
      out["op"] = "set_mode";
      out["mode"] = mode_name(c.mode) ? mode_name(c.mode) : "?";
      break;
  }
  return out;
}

namespace {

struct BitName {
  std::uint32_t bit;
  const char* name;
};

const BitName kFlagNames[] = {
    {TZU_DF_PERMISSIVE, "permissive"}, {TZU_DF_DEFAULT, "default"},
    {TZU_DF_SESSION_OPENED, "session_opened"}, {TZU_DF_NO_POLICY, "no_policy"},
    {TZU_DF_LIMIT, "limit"},           {TZU_DF_FILTERED, "filtered"},
    {TZU_DF_WOULD_DENY, "would_deny"}, {TZU_DF_BOOT_POLICY, "boot_policy"},
    {TZU_DF_AUDIT_FULL, "audit_full"},
};

// Flags of secure-world audit records are TZU_SF_* (abi/tzucon_abi.h).
const BitName kSecureFlagNames[] = {
    {TZU_SF_BOOT_POLICY, "boot_policy"}, {TZU_SF_CMDLINE_WEAK, "cmdline_weak"},
    {TZU_SF_AUDIT_FAIL_CLOSED, "audit_fail_closed"},
};

const char* const kAuditKindNames[] = {
    "boot", "policy_load", "mode", "attr_write", "usage_end", "auth_refused",
    "storage", "audit_config", "integrity", "audit_reset", "manifest",
    "kregister", "mismatch", "baseline", "heartbeat", "kmodule",
    "system_reset", "system_off",
};

const BitName kOblNames[] = {
    {TZU_OBL_AUDIT, "audit"},         {TZU_OBL_KILL, "kill"},
    {TZU_OBL_REVOKE, "revoke"},       {TZU_OBL_REMEASURE, "remeasure"},
    {TZU_OBL_NOTIFY, "notify"},
};

template <std::size_t N>
std::vector<std::string> bit_names(std::uint32_t v, const BitName (&table)[N]) {
  std::vector<std::string> out;
  for (const BitName& b : table) {
    if (v & b.bit) {
      out.emplace_back(b.name);
      v &= ~b.bit;
    }
  }
  for (std::uint32_t bit = 1; v; bit <<= 1) {
    if (v & bit) {
      char buf[16];
      std::snprintf(buf, sizeof(buf), "0x%x", bit);
      out.emplace_back(buf);
      v &= ~bit;
    }
  }
  return out;
}

Json hook_json(std::uint32_t hook) {
  const char* name = ucon::hook_name(hook);
  return name ? Json(name) : Json(hook);
}

}  // namespace

std::vector<std::string> decision_flag_names(std::uint32_t flags) {
  return bit_names(flags, kFlagNames);
}

std::vector<std::string> obligation_names(std::uint32_t obligations) {
  return bit_names(obligations, kOblNames);
}

std::vector<std::string> hook_mask_names(std::uint32_t mask) {
  std::vector<std::string> out;
  for (std::uint32_t h = 0; h < 32; ++h) {
    if (!(mask & (1u << h))) continue;
    const char* name = ucon::hook_name(h);
    out.emplace_back(name ? name : "hook" + std::to_string(h));
  }
  return out;
}

const char* attr_op_name(std::uint32_t op) {
  switch (op) {
    case TZU_ATTR_OP_SET: return "set";
    case TZU_ATTR_OP_ADD: return "add";
    case TZU_ATTR_OP_INSERT: return "insert";
    case TZU_ATTR_OP_CLEAR: return "clear";
    default: return nullptr;
  }
}

std::uint32_t attr_op_by_name(const std::string& s) {
  for (std::uint32_t op = TZU_ATTR_OP_SET; op <= TZU_ATTR_OP_CLEAR; ++op) {
    if (s == attr_op_name(op)) return op;
  }
  return 0;
}

const char* mode_name(std::uint32_t mode) {
  switch (mode) {
    case TZU_MODE_ENFORCE: return "enforce";
    case TZU_MODE_PERMISSIVE: return "permissive";
    default: return nullptr;
  }
}

Json decision_to_json(const tzu_decision& d, std::uint32_t hook,
                      const RuleNames& names) {
  Json out = Json::object();
  out["seq"] = d.seq;
  out["hook"] = hook_json(hook);
  out["verdict"] = d.verdict == TZU_VERDICT_ALLOW  ? Json("allow")
                   : d.verdict == TZU_VERDICT_DENY ? Json("deny")
                                                   : Json(d.verdict);
  out["rule"] = d.rule_id;
  if (d.rule_id) {
    auto it = names.find(d.rule_id);
    if (it != names.end()) out["rule_name"] = it->second;
  }
  out["flags"] = decision_flag_names(d.flags & ~(TZU_DF_CACHEABLE | TZU_DF_TASK_STATE));
  out["obligations"] = obligation_names(d.obligations);
  if (d.obligations & TZU_OBL_NOTIFY) out["notify_code"] = d.notify_code;
  out["session"] = (d.flags & TZU_DF_SESSION_OPENED) ? d.session_id : 0u;
  // Hints for the kernel (docs/kernel.md), not part of the verdict: kept
  // out of "flags" so expectations written before them still match.
  if (d.flags & TZU_DF_CACHEABLE) {
    Json fields = Json::array();
    for (std::uint32_t f = 0; f < TZU_FIELD_COUNT; ++f)
      if (d.cache_fields & (1u << f)) fields.push_back(ucon::field_by_id(f)->name);
    out["cacheable_on"] = fields;
  }
  if (d.flags & TZU_DF_TASK_STATE) out["task_state"] = true;
  Json revoked = Json::array();
  std::uint32_t n = d.n_revoked < TZU_MAX_REVOKE ? d.n_revoked : TZU_MAX_REVOKE;
  for (std::uint32_t i = 0; i < n; ++i) revoked.push_back(d.revoked[i]);
  out["revoked"] = revoked;
  if (n) {
    Json tgids = Json::array();
    for (std::uint32_t i = 0; i < n; ++i) tgids.push_back(d.revoked_tgid[i]);
    out["revoked_tgids"] = tgids;
    out["revoke_reason"] = d.revoke_reason == TZU_REVOKE_ONGOING ? Json("ongoing")
                           : d.revoke_reason == TZU_REVOKE_POLICY
                               ? Json("policy")
                               : Json(d.revoke_reason);
  }
  out["epoch"] = d.epoch;
  if (d.hdr.status != TZU_OK) {
    out["status"] = ucon::status_name(static_cast<ucon::Status>(d.hdr.status));
  }
  return out;
}

const char* audit_kind_name(std::uint32_t hook) {
  if (hook < TZU_AUDIT_KIND_BASE) return nullptr;
  std::uint32_t i = hook - TZU_AUDIT_KIND_BASE;
  return i < std::size(kAuditKindNames) ? kAuditKindNames[i] : nullptr;
}

namespace {

// Every field under its ABI name: anyone can recompute the chain from this.
Json raw_record_json(const tzu_audit_record& r) {
  Json out = Json::object();
  out["index"] = r.index;
  out["event_seq"] = r.event_seq;
  out["event_digest"] = to_hex(r.event_digest, sizeof(r.event_digest));
  out["rule_id"] = r.rule_id;
  out["verdict"] = r.verdict;
  out["flags"] = r.flags;
  out["epoch"] = r.epoch;
  out["hook"] = r.hook;
  out["tgid"] = r.tgid;
  out["obligations"] = r.obligations;
  out["session_id"] = r.session_id;
  out["hash"] = to_hex(r.hash, sizeof(r.hash));
  return out;
}

}  // namespace

Json audit_record_to_json(const tzu_audit_record& r) {
  // Raw fields under their ABI names, so anyone can recompute the hash
  // chain from this JSON alone; *_name / *_text are for people.
  if (r.hook >= TZU_AUDIT_KIND_BASE) return secure_record_to_json(r);
  Json out = raw_record_json(r);
  out["hook_name"] = hook_json(r.hook);
  out["verdict_name"] = r.verdict == TZU_VERDICT_ALLOW  ? Json("allow")
                        : r.verdict == TZU_VERDICT_DENY ? Json("deny")
                                                        : Json("invalid");
  out["flags_text"] = decision_flag_names(r.flags);
  out["obligations_text"] = obligation_names(r.obligations);
  return out;
}

Json secure_record_to_json(const tzu_audit_record& r) {
  Json out = raw_record_json(r);
  const char* kind = audit_kind_name(r.hook);
  out["kind"] = kind ? Json(kind) : Json(r.hook);
  out["status"] = r.verdict == TZU_OK
                      ? std::string("ok")
                      : ucon::status_name(static_cast<ucon::Status>(r.verdict));
  out["flags_text"] = bit_names(r.flags, kSecureFlagNames);
  // Integrity kinds pack several fields into event_seq (abi/tzucon_abi.h).
  Json detail = integrity_record_detail(r);
  if (!detail.empty()) out["detail"] = detail;
  return out;
}

std::string dump(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string to_hex(const std::uint8_t* data, std::size_t len) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out(2 * len, '0');
  for (std::size_t i = 0; i < len; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0xf];
  }
  return out;
}

bool from_hex(const std::string& hex, std::uint8_t* out, std::size_t len) {
  if (hex.size() != 2 * len) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < len; ++i) {
    int hi = nibble(hex[2 * i]);
    int lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return true;
}

}  // namespace policyctl
