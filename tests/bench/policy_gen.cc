// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// policy_gen.cc - JSON policy generator and events for the engine benchmarks.
#include "policy_gen.h"

#include <cstdio>
#include <cstring>

#include <nlohmann/json.hpp>

#include "crypto.h"

namespace bench {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::uint64_t kFirstIno = 100000;  // exe inodes of mprotect rules
constexpr std::uint32_t kUidBase = 10000;    // uid ranges of unindexed rules

std::string hex(const std::uint8_t* p, std::size_t n) {
  static const char kDigits[] = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    s += kDigits[p[i] >> 4];
    s += kDigits[p[i] & 0xf];
  }
  return s;
}

// Digest of "module k": the blocklist entry k (salted for misses).
void module_digest(std::uint32_t k, std::uint32_t salt, std::uint8_t out[32]) {
  char name[48];
  std::snprintf(name, sizeof(name), "module-%u-%u", k, salt);
  ucon::sha256(name, std::strlen(name), out);
}

std::string comm(std::uint32_t k) {
  char s[TZU_COMM_LEN];
  std::snprintf(s, sizeof(s), "svc%05u", k);
  return s;
}

Json header(const char* name, const char* description) {
  Json p;
  p["policy"] = name;
  p["description"] = description;
  p["version"] = 1;
  p["combining"] = "deny-overrides";
  p["default"] = "permit";
  p["mode"] = "enforce";
  return p;
}

Json rule(std::uint32_t id, const std::string& name, const char* hook,
          const char* effect, Json when) {
  Json r;
  r["id"] = id;
  r["name"] = name;
  r["hook"] = hook;
  r["effect"] = effect;
  if (!when.is_null()) r["when"] = std::move(when);
  return r;
}

}  // namespace

GeneratedPolicy indexed_policy(std::uint32_t n_rules) {
  GeneratedPolicy g;
  g.n_module = n_rules * 4 / 10;
  g.n_key = n_rules * 3 / 10;
  g.n_mprotect = n_rules - g.n_module - g.n_key;
  Json p = header("bench-indexed",
                  "benchmark policy: module blocklist by digest, per-command "
                  "key rules, per-executable mprotect rules");
  Json rules = Json::array();
  std::uint32_t id = 1;
  g.first_module_id = id;
  for (std::uint32_t k = 0; k < g.n_module; ++k) {
    std::uint8_t d[32];
    module_digest(k, 0, d);
    rules.push_back(rule(id++, "deny-module-" + std::to_string(k),
                         "kernel_read_file", "deny",
                         {{"all", {{{"field", "object.kind"}, {"eq", "module"}},
                                   {{"field", "object.sha256"},
                                    {"eq", hex(d, sizeof(d))}}}}}));
  }
  g.first_key_id = id;
  for (std::uint32_t k = 0; k < g.n_key; ++k) {
    rules.push_back(rule(id++, "deny-logon-key-" + std::to_string(k),
                         "key_permission", "deny",
                         {{"all", {{{"field", "subject.comm"}, {"eq", comm(k)}},
                                   {{"field", "object.type"}, {"eq", "logon"}}}}}));
  }
  g.first_mprotect_id = id;
  for (std::uint32_t k = 0; k < g.n_mprotect; ++k) {
    rules.push_back(rule(
        id++, "deny-exec-mprotect-" + std::to_string(k), "file_mprotect",
        "deny",
        {{"all", {{{"field", "subject.exe_ino"}, {"eq", kFirstIno + k}},
                  {{"field", "object.prot"}, {"bits_any", "exec"}}}}}));
  }
  rules.push_back(rule(id++, "deny-devmem-write", "devmem_open", "deny",
                       {{"field", "object.flags"}, {"bits_any", 3}}));
  rules.push_back(rule(id++, "deny-unprivileged-bpf", "bpf_prog_load", "deny",
                       {{"field", "subject.euid"}, {"ne", 0}}));
  p["rules"] = std::move(rules);
  g.json = p.dump();
  return g;
}

std::string unindexed_policy(std::uint32_t n_rules) {
  Json p = header("bench-unindexed",
                  "benchmark policy: uid-range rules the index cannot use");
  Json rules = Json::array();
  for (std::uint32_t k = 0; k < n_rules; ++k) {
    const std::int64_t lo = kUidBase + 10 * std::int64_t{k};
    rules.push_back(rule(k + 1, "deny-bpf-uids-" + std::to_string(k),
                         "bpf_prog_load", "deny",
                         {{"field", "subject.uid"}, {"range", {lo, lo + 4}}}));
  }
  p["rules"] = std::move(rules);
  return p.dump();
}

std::string bit_policy(std::uint32_t n_rules) {
  Json p = header("bench-bits", "benchmark policy: bit-test rules");
  Json rules = Json::array();
  for (std::uint32_t k = 0; k < n_rules; ++k) {
    const std::uint32_t mask = (1u << (k % 24)) | (1u << (24 + k % 7));
    rules.push_back(rule(k + 1, "deny-bpf-flags-" + std::to_string(k),
                         "bpf_prog_load", "deny",
                         {{"field", "object.flags"}, {"bits_all", mask}}));
  }
  p["rules"] = std::move(rules);
  return p.dump();
}

tzu_event bit_event(std::uint32_t bit, std::uint32_t hi) {
  tzu_event ev = base_event(TZU_HOOK_BPF_PROG_LOAD);
  ev.object.flags = (1u << bit) | (1u << (24 + hi));
  return ev;
}

tzu_event unindexed_hit_event(std::uint32_t k) {
  tzu_event ev = base_event(TZU_HOOK_BPF_PROG_LOAD);
  ev.subject.uid = ev.subject.euid = kUidBase + 10 * k + 2;
  return ev;
}

std::string exit_policy() {
  Json p = header("bench-exit", "benchmark policy: per-process state");
  const Json counter = {{"description", "per-process counter"},
                        {"scope", "subject"}, {"type", "int"}, {"key", "tgid"},
                        {"initial", 0}, {"max_entries", 1024}};
  p["attributes"] = {{"map_uses", counter}, {"key_uses", counter}};
  Json use = rule(1, "mprotect-session", "file_mprotect", "permit", nullptr);
  use["session"] = true;
  use["pre_update"] = Json::array(
      {{{"attr", "map_uses"}, {"op", "add"}, {"value", 1}}});
  Json count = rule(2, "count-key-use", "key_permission", "permit", nullptr);
  count["pre_update"] = Json::array(
      {{{"attr", "map_uses"}, {"op", "add"}, {"value", 1}},
       {{"attr", "key_uses"}, {"op", "add"}, {"value", 1}}});
  p["rules"] = Json::array({use, count});
  return p.dump();
}

std::string attribute_policy() {
  Json p = header("bench-attributes",
                  "benchmark policy: attribute updates and live sessions");
  p["attributes"] = {
      {"integrity_state",
       {{"description", "kernel integrity"}, {"scope", "global"},
        {"type", "int"}, {"initial", 1}, {"writer", "secure"}}},
      {"key_uses",
       {{"description", "key uses per process"}, {"scope", "subject"},
        {"type", "int"}, {"key", "tgid"}, {"initial", 0},
        {"max_entries", 1024}}},
      {"key_quota",
       {{"description", "per-process key quota an administrator sets"},
        {"scope", "subject"}, {"type", "int"}, {"key", "tgid"},
        {"initial", 0}, {"max_entries", 1024}, {"writer", "admin"}}},
  };
  Json key_session = rule(1, "key-usage-session", "key_alloc", "permit", nullptr);
  key_session["session"] = true;
  key_session["ongoing"] = {{"attr", "integrity_state"}, {"ne", 2}};
  Json count = rule(2, "count-key-use", "key_permission", "permit", nullptr);
  count["pre_update"] = Json::array(
      {{{"attr", "key_uses"}, {"op", "add"}, {"value", 1}}});
  p["rules"] = Json::array({key_session, count});
  return p.dump();
}

tzu_event base_event(std::uint32_t hook) {
  tzu_event ev;
  std::memset(&ev, 0, sizeof(ev));
  ev.hdr.magic = TZU_MAGIC;
  ev.hdr.version = TZU_ABI_VERSION;
  ev.hdr.command = TZU_CMD_DECIDE;
  ev.hdr.size = sizeof(ev);
  ev.seq = 1;
  ev.hook = hook;
  ev.subject.pid = ev.subject.tgid = 4242;
  ev.subject.uid = ev.subject.euid = 1000;
  ev.subject.exe_dev = 8;
  ev.subject.exe_ino = 12345;
  std::memcpy(ev.subject.comm, "worker", 7);
  return ev;
}

tzu_event hit_event(Family f, std::uint32_t k) {
  switch (f) {
    case Family::kModule: {
      tzu_event ev = base_event(TZU_HOOK_KERNEL_READ_FILE);
      ev.flags = TZU_EVF_OBJ_DIGEST;
      ev.object.kind = TZU_LOAD_MODULE;
      module_digest(k, 0, ev.object.sha256);
      std::snprintf(ev.object.name, sizeof(ev.object.name), "mod%u", k);
      return ev;
    }
    case Family::kKey: {
      tzu_event ev = base_event(TZU_HOOK_KEY_PERMISSION);
      const std::string c = comm(k);
      std::memcpy(ev.subject.comm, c.c_str(), c.size() + 1);
      ev.object.id = 77;
      std::memcpy(ev.object.type, "logon", 6);
      return ev;
    }
    case Family::kMprotect:
      break;
  }
  tzu_event ev = base_event(TZU_HOOK_FILE_MPROTECT);
  ev.subject.exe_ino = kFirstIno + k;
  ev.object.prot = TZU_PROT_READ | TZU_PROT_EXEC;
  ev.object.old_prot = TZU_PROT_READ;
  ev.object.addr = 0x10000;
  ev.object.len = 4096;
  return ev;
}

tzu_event miss_event(Family f, std::uint32_t salt) {
  tzu_event ev = hit_event(f, 0);
  switch (f) {
    case Family::kModule:
      module_digest(0, salt + 1, ev.object.sha256);
      break;
    case Family::kKey:
      std::snprintf(ev.subject.comm, sizeof(ev.subject.comm), "other%u", salt);
      break;
    case Family::kMprotect:
      ev.subject.exe_ino = 1 + salt;  // below every rule's inode
      break;
  }
  return ev;
}

tzu_event unindexed_miss_event() {
  tzu_event ev = base_event(TZU_HOOK_BPF_PROG_LOAD);
  ev.subject.uid = ev.subject.euid = kUidBase - 1;
  return ev;
}

}  // namespace bench
