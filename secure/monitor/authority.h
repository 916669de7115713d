// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// authority.h - who may change what the secure world enforces
// (docs/threat-model.md): the keys the image trusts, this boot's nonce, the
// persistent rollback floor and admin counter, admin authorizations and the
// device's signed reports. Plain C++, host-testable; storage comes in
// through StateStore.
#ifndef TZUCON_MONITOR_AUTHORITY_H
#define TZUCON_MONITOR_AUTHORITY_H

#include <stdint.h>

#include "engine.h"
#include "state_store.h"
#include "status.h"
#include "tzucon_abi.h"

namespace monitor {

// Public keys from the image build, plus the device key pair derived from
// the device secret (the only secret the image holds; on a real ZC702 the
// image is encrypted with the eFuse/BBRAM AES key, see the threat model).
struct DeviceKeys {
  uint8_t policy_pub[32];
  uint8_t admin_pub[32];
  uint8_t device_seed[32];  // secret: signs reports
  uint8_t device_pub[32];
  uint8_t device_id[TZU_DEVICE_ID_LEN];  // SHA-256(device_pub)[0..16)
  uint8_t secret[32];       // derives the storage MAC key and nonces
};

// device_seed = HMAC-SHA256(secret, "tzucon device signing v1"), then its
// public key and id. The image build computes the same to publish device.pub.
void derive_device_keys(const uint8_t secret[32], DeviceKeys* k);

class Authority {
 public:
  // state/storage_state: what persist_boot() read and wrote this boot (the
  // boot counter already counts this boot). entropy: whatever the board can
  // offer (timer values); the nonce is unique per boot through the counter.
  void init(const DeviceKeys& keys, StateStore* store,
            const PersistentState& state, uint32_t storage_state,
            uint64_t entropy);

  // Checks an admin authorization for command `cmd` whose request (in
  // secure memory) is `req`, with its tzu_auth at `auth_off`; on success
  // consumes the counter (persisted before returning kOk). Statuses:
  // kAuthRequired (no auth), kAuth (signature, command or arguments wrong),
  // kWrongDevice, kReplay (earlier boot's nonce, or a used counter),
  // kStorage (state cannot be persisted: fail closed).
  ucon::Status authorize(uint32_t cmd, const uint8_t* req, uint32_t auth_off);

  // The engine staged a policy: persist it as the new floor before commit.
  ucon::Status persist_floor(uint32_t version, const uint8_t digest[32]);

  // Signs bytes [sizeof(tzu_hdr), offsetof(signature)) of *r.
  void sign_report(struct tzu_report* r) const;

  // Persistent state can be read and written: policy loads and admin
  // commands are possible. Otherwise they fail closed with kStorage.
  bool storage_usable() const;
  ucon::RollbackFloor floor() const;

  const uint8_t* nonce() const { return nonce_; }
  const uint8_t* device_id() const { return keys_.device_id; }
  const uint8_t* policy_pub() const { return keys_.policy_pub; }
  uint64_t boot_counter() const { return state_.boot_counter; }
  uint64_t admin_counter() const { return state_.admin_counter; }
  uint32_t storage_state() const { return storage_state_; }

 private:
  DeviceKeys keys_ = {};
  StateStore* store_ = nullptr;
  PersistentState state_;
  uint32_t storage_state_ = TZU_STORAGE_UNAVAILABLE;
  uint8_t nonce_[TZU_NONCE_LEN] = {};
};

}  // namespace monitor

#endif  // TZUCON_MONITOR_AUTHORITY_H
