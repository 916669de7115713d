// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// authority.cc - admin authorizations (TPM-style: signature over command,
// argument digest, device, nonce, counter), the persistent floor and the
// device's signed reports.
#include "authority.h"

#include <stddef.h>
#include <string.h>

#include "crypto.h"
#include "ed25519.h"

namespace monitor {

using ucon::Status;

namespace {

constexpr char kSigningLabel[] = "tzucon device signing v1";
constexpr char kNonceLabel[] = "tzucon boot nonce v1";

bool all_zero(const uint8_t* p, size_t n) {
  uint8_t acc = 0;
  for (size_t i = 0; i < n; ++i) acc |= p[i];
  return acc == 0;
}

}  // namespace

void derive_device_keys(const uint8_t secret[32], DeviceKeys* k) {
  memcpy(k->secret, secret, sizeof(k->secret));
  ucon::hmac_sha256(secret, 32, kSigningLabel, sizeof(kSigningLabel) - 1,
                    k->device_seed);
  ucon::ed25519_public_key(k->device_seed, k->device_pub);
  uint8_t h[32];
  ucon::sha256(k->device_pub, sizeof(k->device_pub), h);
  memcpy(k->device_id, h, sizeof(k->device_id));
}

void Authority::init(const DeviceKeys& keys, StateStore* store,
                     const PersistentState& state, uint32_t storage_state,
                     uint64_t entropy) {
  keys_ = keys;
  store_ = store;
  state_ = state;
  storage_state_ = storage_state;
  // Unique per boot because the persistent boot counter is; unpredictable
  // without the device secret. The entropy only adds to that.
  ucon::HmacSha256 mac(keys_.secret, sizeof(keys_.secret));
  mac.update(kNonceLabel, sizeof(kNonceLabel) - 1);
  mac.update(&state_.boot_counter, sizeof(state_.boot_counter));
  mac.update(&entropy, sizeof(entropy));
  mac.final(nonce_);
}

bool Authority::storage_usable() const {
  return store_ && (storage_state_ == TZU_STORAGE_OK ||
                    storage_state_ == TZU_STORAGE_FRESH);
}

ucon::RollbackFloor Authority::floor() const {
  ucon::RollbackFloor f;
  f.set = state_.floor_set != 0;
  f.version = state_.floor_version;
  memcpy(f.digest, state_.floor_digest, sizeof(f.digest));
  return f;
}

Status Authority::authorize(uint32_t cmd, const uint8_t* req,
                            uint32_t auth_off) {
  tzu_auth a;
  memcpy(&a, req + auth_off, sizeof(a));
  if (a.magic == 0 && all_zero(a.signature, sizeof(a.signature)))
    return Status::kAuthRequired;
  if (a.magic != TZU_AUTH_MAGIC || a.version != TZU_AUTH_VERSION)
    return Status::kAuth;
  // Authenticity first: everything below is then the admin's own word.
  if (!ucon::ed25519_verify(keys_.admin_pub, &a, offsetof(tzu_auth, signature),
                            a.signature))
    return Status::kAuth;
  if (memcmp(a.device_id, keys_.device_id, sizeof(a.device_id)) != 0)
    return Status::kWrongDevice;
  if (a.command != cmd) return Status::kAuth;
  uint8_t args[32];
  ucon::sha256(req + TZU_AUTH_ARGS_OFFSET, auth_off - TZU_AUTH_ARGS_OFFSET, args);
  if (!ucon::ct_equal(args, a.args_sha256, sizeof(args))) return Status::kAuth;
  if (!ucon::ct_equal(a.nonce, nonce_, sizeof(nonce_)) ||
      a.counter != state_.admin_counter)
    return Status::kReplay;
  if (!storage_usable()) return Status::kStorage;
  // Consume the counter durably before the command runs: a crash after this
  // point cannot make the same authorization usable again.
  PersistentState next = state_;
  ++next.admin_counter;
  if (store_->save(next) != Status::kOk) {
    storage_state_ = TZU_STORAGE_UNAVAILABLE;
    return Status::kStorage;
  }
  state_ = next;
  return Status::kOk;
}

Status Authority::persist_floor(uint32_t version, const uint8_t digest[32]) {
  if (!storage_usable()) return Status::kStorage;
  PersistentState next = state_;
  next.floor_version = version;
  next.floor_set = 1;
  memcpy(next.floor_digest, digest, sizeof(next.floor_digest));
  if (store_->save(next) != Status::kOk) {
    storage_state_ = TZU_STORAGE_UNAVAILABLE;
    return Status::kStorage;
  }
  state_ = next;
  return Status::kOk;
}

void Authority::sign_report(tzu_report* r) const {
  const uint8_t* body = reinterpret_cast<const uint8_t*>(r) + sizeof(tzu_hdr);
  ucon::ed25519_sign(keys_.device_seed, keys_.device_pub, body,
                     offsetof(tzu_report, signature) - sizeof(tzu_hdr),
                     r->signature);
}

}  // namespace monitor
