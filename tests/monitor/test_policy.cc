// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// test_policy.cc - builds the test policy with the engine tests' blob
// assembler (tests/ucon_engine/test_util.h), so it needs no JSON compiler;
// test keys, admin authorizations and the host secure world.
#include "test_policy.h"

#include <cstddef>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "blob_format.h"
#include "crypto.h"
#include "ed25519.h"
#include "memmap.h"
#include "test_util.h"

namespace monitor_test {

const std::vector<std::uint8_t> kAdminSeed(32, 0xad);
const std::vector<std::uint8_t> kDeviceSecret(32, 0x5e);

monitor::DeviceKeys test_device_keys() {
  monitor::DeviceKeys k{};
  monitor::derive_device_keys(kDeviceSecret.data(), &k);
  const std::vector<std::uint8_t> policy = ucon_test::test_policy_pub();
  const std::vector<std::uint8_t> admin = ucon_test::public_key(kAdminSeed);
  std::memcpy(k.policy_pub, policy.data(), sizeof(k.policy_pub));
  std::memcpy(k.admin_pub, admin.data(), sizeof(k.admin_pub));
  return k;
}

std::vector<std::uint8_t> test_policy(std::uint32_t version,
                                      const std::vector<std::uint8_t>& key,
                                      const std::vector<std::uint8_t>& device_id) {
  ucon_test::BlobBuilder b;
  b.version = version;
  b.device_id = device_id;
  const std::uint32_t target = b.field_eq("subject.tgid", kDenyTgid);
  ucon::BlobRule& r =
      b.rule(kDenyRule, TZU_HOOK_FILE_MPROTECT, ucon::kEffectDeny, target);
  r.flags |= ucon::kRuleAudit;
  return b.build(key);
}

namespace {

std::vector<std::uint8_t> read_hex_line(const std::string& path,
                                        const std::string& tag,
                                        std::size_t n_bytes) {
  std::ifstream in(path);
  std::string text;
  if (!in || !std::getline(in, text))
    throw std::runtime_error("cannot read '" + path + "'");
  if (text.compare(0, tag.size(), tag) != 0)
    throw std::runtime_error("'" + path + "' does not start with '" + tag + "'");
  text.erase(0, tag.size());
  if (text.size() != 2 * n_bytes)
    throw std::runtime_error("'" + path + "': expected " +
                             std::to_string(2 * n_bytes) + " hex characters");
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i < text.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(
        std::stoul(text.substr(i, 2), nullptr, 16)));
  return out;
}

}  // namespace

std::vector<std::uint8_t> read_key_file(const std::string& path) {
  return read_hex_line(path, "ed25519-private:", 32);
}

std::vector<std::uint8_t> read_device_id(const std::string& path) {
  return read_hex_line(path, "", TZU_DEVICE_ID_LEN);
}

void sign_auth(std::uint8_t* req, std::uint32_t auth_off, std::uint32_t cmd,
               const std::uint8_t device_id[TZU_DEVICE_ID_LEN],
               const std::uint8_t nonce[TZU_NONCE_LEN], std::uint64_t counter,
               const std::vector<std::uint8_t>& seed) {
  tzu_auth a{};
  a.magic = TZU_AUTH_MAGIC;
  a.version = TZU_AUTH_VERSION;
  a.command = static_cast<tzu_u16>(cmd);
  std::memcpy(a.device_id, device_id, sizeof(a.device_id));
  std::memcpy(a.nonce, nonce, sizeof(a.nonce));
  a.counter = counter;
  ucon::sha256(req + TZU_AUTH_ARGS_OFFSET, auth_off - TZU_AUTH_ARGS_OFFSET,
               a.args_sha256);
  const std::vector<std::uint8_t> pub = ucon_test::public_key(seed);
  ucon::ed25519_sign(seed.data(), pub.data(), &a, offsetof(tzu_auth, signature),
                     a.signature);
  std::memcpy(req + auth_off, &a, sizeof(a));
}

HostSecureWorld::HostSecureWorld() : HostSecureWorld(Config()) {}

HostSecureWorld::HostSecureWorld(const Config& c) : cfg(c) {
  if (cfg.window_size == 0) cfg.window_size = PLAT_SHM_SIZE;
  keys = test_device_keys();
  arena.resize(ucon::Engine::arena_bytes(cfg.engine) / 8 + 1);
  window.assign(cfg.window_size, 0);
  req.resize((sizeof(tzu_load_policy_req) + cfg.engine.max_blob_bytes) / 8 + 1);
  rsp.resize(cfg.rsp_cap / 8);
  if (cfg.ns_ram_size) {
    ns_ram.assign(cfg.ns_ram_size / 8, 0);
    copy.assign(cfg.copy_size / 8, 0);
    ki = std::make_unique<integrity::KernelIntegrity>();
  }
  if (boot() != ucon::Status::kOk)
    throw std::runtime_error("host secure world does not boot");
}

// As main.cc: count the boot in storage before anything else, then the
// authority from the stored state, then the engine with the stored floor.
ucon::Status HostSecureWorld::boot() {
  monitor::PersistentState st;
  std::uint32_t storage_state = TZU_STORAGE_UNAVAILABLE;
  if (store.load(&st, &storage_state) == ucon::Status::kOk) {
    ++st.boot_counter;
    if (store.save(st) != ucon::Status::kOk)
      storage_state = TZU_STORAGE_UNAVAILABLE;
  } else {
    st = monitor::PersistentState();
  }
  authority.init(keys, &store, st, storage_state, ++boots);
  ucon::Status s = engine.init(arena.data(), arena.size() * 8, cfg.engine,
                               keys.policy_pub, keys.device_id);
  if (s != ucon::Status::kOk) return s;
  engine.set_floor(authority.floor());
  std::memset(window.data(), 0, window.size());
  monitor::DispatcherConfig d;
  d.engine = &engine;
  d.window = monitor::ShmWindow(window.data(),
                                static_cast<std::uint32_t>(window.size()));
  d.nr_slots = PLAT_NR_CPUS;
  d.req = reinterpret_cast<std::uint8_t*>(req.data());
  d.req_cap = static_cast<std::uint32_t>(req.size() * 8);
  d.rsp = reinterpret_cast<std::uint8_t*>(rsp.data());
  d.rsp_cap = static_cast<std::uint32_t>(rsp.size() * 8);
  d.authority = &authority;
  d.integrity = ki.get();
  d.now_us = [] { return now_us; };
  s = disp.init(d);
  if (s != ucon::Status::kOk || !ki) return s;
  return ki->init(integrity_config(), disp.integrity_sink());
}

std::uint64_t HostSecureWorld::now_us = 0;

integrity::Config HostSecureWorld::integrity_config() const {
  integrity::Config c;
  c.ns.base = reinterpret_cast<const std::uint8_t*>(ns_ram.data());
  c.ns.pa_base = 0;
  c.ns.size = ns_ram.size() * 8;
  c.ns.hole_base = c.ns.size;  // nothing secure inside the buffer
  c.ns.hole_size = 0;
  c.copy = reinterpret_cast<std::uint8_t*>(const_cast<std::uint64_t*>(copy.data()));
  c.copy_cap = static_cast<std::uint32_t>(copy.size() * 8);
  c.period_us = 10000;
  c.chunk_bytes = 16u << 10;
  return c;
}

monitor::SmcResult HostSecureWorld::smc(std::uint32_t r0, std::uint32_t r1,
                                        std::uint32_t r2, std::uint32_t r3,
                                        std::uint32_t r4, std::uint32_t cpu) {
  monitor::SmcArgs a{{r0, r1, r2, r3, r4, 0, 0, 0}};
  return disp.handle(a, cpu);
}

std::vector<std::uint8_t> HostSecureWorld::device_id() const {
  return std::vector<std::uint8_t>(keys.device_id,
                                   keys.device_id + TZU_DEVICE_ID_LEN);
}

}  // namespace monitor_test
