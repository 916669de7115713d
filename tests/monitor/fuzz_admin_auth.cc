// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// fuzz_admin_auth.cc - libFuzzer target for monitor::Authority::authorize(),
// the check behind every [admin] command. Keys and the RAM state store are
// set up once per process; each input resets the storage and boots a fresh
// Authority, then runs up to kMaxSteps steps against it:
//
//   byte 0      storage at power-on: 0 blank, 1 valid record, 2 tampered,
//               3 unavailable; then u64 LE: the stored admin counter (1);
//               then the boot's entropy byte
//   per step    op byte: bits 0-1 kind (0,1 authorize, 2 resend the last
//               request, 3 reboot + an entropy byte), bit 2 harness-signed, bit 3 sign with a
//               foreign key, bit 4 storage saves fail during this step
//     authorize cmd byte (bits 0-1: SET_MODE, UPDATE_ATTR, END_USAGE,
//               AUDIT_CONFIG: the request layout the dispatcher uses), the
//               request bytes up to the auth, then
//       signed: a mask byte choosing which auth fields come from the input
//               (bit 0 device, 1 nonce, 2 counter as an int8 delta, 3
//               command, 4 args digest, 5 magic+version), those fields in
//               that order; the rest are right; the harness signs it.
//       raw:    the 160 bytes of the tzu_auth.
//
// Oracles (a reference model of the documented check order in authority.h
// gives the exact status of every harness-signed request):
//  - kOk only for a genuine authorization (signed by the admin seed: a raw
//    or replayed auth must carry the harness's own signature) whose magic,
//    version, device, command, args digest, nonce and counter all match;
//  - never kOk twice for the same counter, in one boot or across reboots;
//  - never kOk while saves fail, and the consumed counter is in storage
//    before kOk returns;
//  - a boot's nonce is never that of an earlier boot that counted itself
//    in storage.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "authority.h"
#include "crypto.h"
#include "ed25519.h"
#include "state_store.h"
#include "tzucon_abi.h"

namespace {

using ucon::Status;

constexpr int kMaxSteps = 8;
constexpr std::size_t kSigOff = offsetof(tzu_auth, signature);

struct Command {
  std::uint32_t cmd;
  std::uint32_t auth_off;
};
constexpr Command kCommands[4] = {
    {TZU_CMD_SET_MODE, offsetof(tzu_set_mode_req, auth)},
    {TZU_CMD_UPDATE_ATTR, offsetof(tzu_update_attr_req, auth)},
    {TZU_CMD_END_USAGE, offsetof(tzu_end_usage_req, auth)},
    {TZU_CMD_AUDIT_CONFIG, offsetof(tzu_audit_config_req, auth)},
};

void check(bool ok) {
  if (!ok) std::abort();
}

struct Cursor {
  const std::uint8_t* p;
  std::size_t n;
  std::uint8_t byte() {
    if (n == 0) return 0;
    --n;
    return *p++;
  }
  void bytes(void* out, std::size_t len) {
    std::uint8_t* o = static_cast<std::uint8_t*>(out);
    for (std::size_t i = 0; i < len; ++i) o[i] = byte();
  }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= std::uint64_t{byte()} << (8 * i);
    return v;
  }
};

// Fixed test keys: the image's trusted admin key, a key it does not trust,
// and the device secret. Derived once per process.
struct Keys {
  std::uint8_t admin_seed[32];
  std::uint8_t admin_pub[32];
  std::uint8_t foreign_seed[32];
  std::uint8_t foreign_pub[32];
  monitor::DeviceKeys device = {};
  Keys() {
    std::memset(admin_seed, 0xad, sizeof(admin_seed));
    std::memset(foreign_seed, 0xfe, sizeof(foreign_seed));
    ucon::ed25519_public_key(admin_seed, admin_pub);
    ucon::ed25519_public_key(foreign_seed, foreign_pub);
    std::uint8_t secret[32];
    std::memset(secret, 0x5e, sizeof(secret));
    monitor::derive_device_keys(secret, &device);
    std::memset(device.policy_pub, 0, sizeof(device.policy_pub));
    std::memcpy(device.admin_pub, admin_pub, sizeof(admin_pub));
  }
};

const Keys& keys() {
  static const Keys k;
  return k;
}

// The harness's view of what the Authority must hold.
struct Model {
  std::uint64_t counter = 0;  // the counter the next auth must carry
  bool usable = false;        // storage usable this boot
  std::uint8_t nonce[TZU_NONCE_LEN] = {};
  std::vector<std::vector<std::uint8_t>> old_nonces;
  std::vector<std::uint64_t> ok_counters;
};

struct Request {
  std::vector<std::uint8_t> bytes;  // the request up to and with its auth
  std::uint32_t cmd = 0;
  std::uint32_t auth_off = 0;
  int genuine = -1;  // 1/0 known (harness-signed), -1: check the signature
};

monitor::RamStateStore g_store;
monitor::Authority g_authority;

// As main.cc boots: count the boot in storage, then the authority from the
// stored state. The board's entropy comes from the input, so the nonce's
// uniqueness must come from the boot counter.
void boot(Model* m, std::uint8_t entropy) {
  monitor::PersistentState st;
  std::uint32_t storage_state = TZU_STORAGE_UNAVAILABLE;
  bool counted = false;
  if (g_store.load(&st, &storage_state) == Status::kOk) {
    ++st.boot_counter;
    counted = g_store.save(st) == Status::kOk;
    if (!counted) storage_state = TZU_STORAGE_UNAVAILABLE;
  } else {
    st = monitor::PersistentState();
  }
  g_authority.init(keys().device, &g_store, st, storage_state, entropy);
  m->counter = st.admin_counter;
  m->usable = storage_state == TZU_STORAGE_OK ||
              storage_state == TZU_STORAGE_FRESH;
  std::memcpy(m->nonce, g_authority.nonce(), TZU_NONCE_LEN);
  // Only a boot whose counter reached storage is owed a fresh nonce: one
  // that could not count itself cannot authorize anything (kStorage), and
  // the next boot may reuse its counter (and, with equal entropy, nonce).
  for (const auto& old : m->old_nonces)
    check(std::memcmp(old.data(), m->nonce, TZU_NONCE_LEN) != 0);
  if (counted) m->old_nonces.emplace_back(m->nonce, m->nonce + TZU_NONCE_LEN);
  check(g_authority.admin_counter() == m->counter);
}

// Ed25519 signing is deterministic, so signatures can be remembered: the
// fuzzer often varies only bytes outside the signed body, and a signature
// costs as much as the verification under test.
struct CachedSig {
  std::uint8_t tag[32];
  std::uint8_t sig[TZU_ED25519_SIG_LEN];
  bool used;
};
CachedSig g_sigs[4096];

void sign(bool foreign, const tzu_auth& a, std::uint8_t sig[64]) {
  std::uint8_t msg[kSigOff + 1];
  std::memcpy(msg, &a, kSigOff);
  msg[kSigOff] = foreign;
  std::uint8_t tag[32];
  ucon::sha256(msg, sizeof(msg), tag);
  CachedSig& c = g_sigs[(tag[0] | tag[1] << 8) % 4096];
  if (!c.used || std::memcmp(c.tag, tag, sizeof(tag)) != 0) {
    const Keys& k = keys();
    ucon::ed25519_sign(foreign ? k.foreign_seed : k.admin_seed,
                       foreign ? k.foreign_pub : k.admin_pub, &a, kSigOff,
                       c.sig);
    std::memcpy(c.tag, tag, sizeof(tag));
    c.used = true;
  }
  std::memcpy(sig, c.sig, sizeof(c.sig));
}

bool zero(const void* p, std::size_t n) {
  const std::uint8_t* b = static_cast<const std::uint8_t*>(p);
  for (std::size_t i = 0; i < n; ++i)
    if (b[i]) return false;
  return true;
}

// authority.h's contract, check by check, for an auth whose authenticity
// is `genuine`.
Status expected(const Model& m, const Request& r, bool genuine) {
  tzu_auth a;
  std::memcpy(&a, r.bytes.data() + r.auth_off, sizeof(a));
  if (a.magic == 0 && zero(a.signature, sizeof(a.signature)))
    return Status::kAuthRequired;
  if (a.magic != TZU_AUTH_MAGIC || a.version != TZU_AUTH_VERSION)
    return Status::kAuth;
  if (!genuine) return Status::kAuth;
  if (std::memcmp(a.device_id, keys().device.device_id, TZU_DEVICE_ID_LEN))
    return Status::kWrongDevice;
  if (a.command != r.cmd) return Status::kAuth;
  std::uint8_t args[32];
  ucon::sha256(r.bytes.data() + TZU_AUTH_ARGS_OFFSET,
               r.auth_off - TZU_AUTH_ARGS_OFFSET, args);
  if (std::memcmp(args, a.args_sha256, sizeof(args))) return Status::kAuth;
  if (std::memcmp(a.nonce, m.nonce, TZU_NONCE_LEN) || a.counter != m.counter)
    return Status::kReplay;
  if (!m.usable || g_store.fail_saves_) return Status::kStorage;
  return Status::kOk;
}

// True if the auth carries the signature the admin seed makes over it: the
// only way a raw input can be genuine (Ed25519 signing is deterministic).
bool admin_signed(const Request& r) {
  tzu_auth a;
  std::memcpy(&a, r.bytes.data() + r.auth_off, sizeof(a));
  std::uint8_t sig[TZU_ED25519_SIG_LEN];
  sign(false, a, sig);
  return std::memcmp(sig, a.signature, sizeof(sig)) == 0;
}

void attempt(Model* m, Request* r) {
  // An exact-size copy: ASan sees any read past the auth.
  const std::vector<std::uint8_t> req(r->bytes);
  const Status got = g_authority.authorize(r->cmd, req.data(), r->auth_off);
  if (r->genuine < 0) {
    // Cheap path first: a refusal that needs no signature check.
    if (got == expected(*m, *r, false) && got != Status::kOk) return;
    r->genuine = admin_signed(*r) ? 1 : 0;
  }
  const Status want = expected(*m, *r, r->genuine == 1);
  check(got == want);
  if (got == Status::kOk) {
    check(r->genuine == 1 && !g_store.fail_saves_);
    for (std::uint64_t c : m->ok_counters) check(c != m->counter);
    m->ok_counters.push_back(m->counter);
    ++m->counter;
    // Consumed durably before kOk.
    check(g_store.st_.admin_counter == m->counter);
  } else if (want == Status::kStorage && m->usable) {
    m->usable = false;  // a failed save makes storage unusable this boot
  }
  check(g_authority.admin_counter() == m->counter);
}

void build(Cursor* in, std::uint8_t op, const Model& m, Request* r) {
  const Command& c = kCommands[in->byte() & 3];
  r->cmd = c.cmd;
  r->auth_off = c.auth_off;
  r->bytes.assign(c.auth_off + sizeof(tzu_auth), 0);
  in->bytes(r->bytes.data(), c.auth_off);
  tzu_auth a{};
  if (!(op & 4)) {
    in->bytes(&a, sizeof(a));
    r->genuine = -1;
  } else {
    const std::uint8_t mask = in->byte();
    a.magic = TZU_AUTH_MAGIC;
    a.version = TZU_AUTH_VERSION;
    a.command = static_cast<tzu_u16>(c.cmd);
    std::memcpy(a.device_id, keys().device.device_id, TZU_DEVICE_ID_LEN);
    std::memcpy(a.nonce, m.nonce, TZU_NONCE_LEN);
    a.counter = m.counter;
    ucon::sha256(r->bytes.data() + TZU_AUTH_ARGS_OFFSET,
                 c.auth_off - TZU_AUTH_ARGS_OFFSET, a.args_sha256);
    if (mask & 1) in->bytes(a.device_id, sizeof(a.device_id));
    if (mask & 2) in->bytes(a.nonce, sizeof(a.nonce));
    if (mask & 4)
      a.counter = m.counter + static_cast<std::uint64_t>(
                                  static_cast<std::int8_t>(in->byte()));
    if (mask & 8) in->bytes(&a.command, sizeof(a.command));
    if (mask & 16) in->bytes(a.args_sha256, sizeof(a.args_sha256));
    if (mask & 32) {
      in->bytes(&a.magic, sizeof(a.magic));
      in->bytes(&a.version, sizeof(a.version));
    }
    const bool foreign = op & 8;
    sign(foreign, a, a.signature);
    r->genuine = foreign ? 0 : 1;
  }
  std::memcpy(r->bytes.data() + c.auth_off, &a, sizeof(a));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  Cursor in{data, size};
  g_store = monitor::RamStateStore();
  const std::uint8_t power_on = in.byte() & 3;
  if (power_on == 1) {
    g_store.state_ = TZU_STORAGE_OK;
    g_store.st_.admin_counter = in.u64();
  } else if (power_on == 2) {
    g_store.state_ = TZU_STORAGE_TAMPERED;
  } else if (power_on == 3) {
    g_store.state_ = TZU_STORAGE_UNAVAILABLE;
  }
  Model m;
  boot(&m, in.byte());
  Request last;
  for (int step = 0; step < kMaxSteps && in.n > 0; ++step) {
    const std::uint8_t op = in.byte();
    g_store.fail_saves_ = op & 16;
    switch (op & 3) {
      case 0:
      case 1:
        build(&in, op, m, &last);
        attempt(&m, &last);
        break;
      case 2:
        if (!last.bytes.empty()) attempt(&m, &last);
        break;
      default:
        boot(&m, in.byte());
        break;
    }
    g_store.fail_saves_ = false;
  }
  return 0;
}
