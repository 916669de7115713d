// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// state_record.cc - encode/verify the persistent-state record, pick A or B.
#include "state_record.h"

#include <string.h>

#include "crypto.h"

namespace monitor {
namespace {

constexpr char kKeyLabel[] = "tzucon storage v1";
constexpr size_t kFloorDigestOff = 40;
constexpr size_t kReservedOff = 72;

// Explicit little-endian: the record must read the same on any host that
// runs the tests and on the board, whatever the struct layout.
void put_le(uint8_t* p, uint64_t v, size_t n) {
  for (size_t i = 0; i < n; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

uint64_t get_le(const uint8_t* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v |= uint64_t{p[i]} << (8 * i);
  return v;
}

void record_mac(const uint8_t* rec, const uint8_t* key,
                uint8_t mac[ucon::kSha256Len]) {
  ucon::hmac_sha256(key, kStorageKeyLen, rec, kRecordMacOff, mac);
}

}  // namespace

void derive_storage_key(const uint8_t device_secret[32],
                        uint8_t key[kStorageKeyLen]) {
  ucon::hmac_sha256(device_secret, 32, kKeyLabel, sizeof(kKeyLabel) - 1, key);
}

void encode(const PersistentState& st, uint64_t seq,
            const uint8_t key[kStorageKeyLen], uint8_t out[kRecordSize]) {
  memset(out, 0, kRecordSize);
  put_le(out + 0, kRecordMagic, 4);
  put_le(out + 4, kRecordFormat, 4);
  put_le(out + 8, seq, 8);
  put_le(out + 16, st.boot_counter, 8);
  put_le(out + 24, st.admin_counter, 8);
  put_le(out + 32, st.floor_version, 4);
  put_le(out + 36, st.floor_set, 4);
  memcpy(out + kFloorDigestOff, st.floor_digest, sizeof(st.floor_digest));
  record_mac(out, key, out + kRecordMacOff);
}

ucon::Status decode(const uint8_t* in, size_t len,
                    const uint8_t key[kStorageKeyLen], PersistentState* st,
                    uint64_t* seq) {
  if (in == nullptr || len != kRecordSize) return ucon::Status::kStorage;
  // MAC first: the format checks below then only catch our own bugs, and
  // a forged record gets no oracle on which field was wrong.
  uint8_t mac[ucon::kSha256Len];
  record_mac(in, key, mac);
  if (!ucon::ct_equal(mac, in + kRecordMacOff, sizeof(mac)))
    return ucon::Status::kStorage;
  if (get_le(in, 4) != kRecordMagic || get_le(in + 4, 4) != kRecordFormat)
    return ucon::Status::kStorage;
  const uint32_t floor_set = static_cast<uint32_t>(get_le(in + 36, 4));
  if (floor_set > 1) return ucon::Status::kStorage;
  for (size_t i = kReservedOff; i < kRecordMacOff; ++i)
    if (in[i] != 0) return ucon::Status::kStorage;
  PersistentState s;
  s.boot_counter = get_le(in + 16, 8);
  s.admin_counter = get_le(in + 24, 8);
  s.floor_version = static_cast<uint32_t>(get_le(in + 32, 4));
  s.floor_set = floor_set;
  memcpy(s.floor_digest, in + kFloorDigestOff, sizeof(s.floor_digest));
  *st = s;
  *seq = get_le(in + 8, 8);
  return ucon::Status::kOk;
}

bool is_blank(const uint8_t* in, size_t len) {
  uint8_t all = 0xFF;
  for (size_t i = 0; i < len; ++i) all &= in[i];
  return all == 0xFF;
}

ucon::Status choose_slot(const uint8_t* a, const uint8_t* b, size_t len,
                         const uint8_t key[kStorageKeyLen], SlotChoice* out) {
  const uint8_t* slots[2] = {a, b};
  bool ok[2] = {false, false};
  bool blank[2] = {false, false};
  PersistentState st[2];
  uint64_t seq[2] = {0, 0};
  for (int i = 0; i < 2; ++i) {
    ok[i] = decode(slots[i], len, key, &st[i], &seq[i]) == ucon::Status::kOk;
    blank[i] = !ok[i] && slots[i] != nullptr && is_blank(slots[i], len);
  }
  *out = SlotChoice();
  if (ok[0] || ok[1]) {
    const int w = (ok[0] && (!ok[1] || seq[0] >= seq[1])) ? 0 : 1;
    out->storage_state = TZU_STORAGE_OK;
    out->slot = w;
    out->seq = seq[w];
    out->st = st[w];
    return ucon::Status::kOk;
  }
  if (blank[0] && blank[1]) {
    out->storage_state = TZU_STORAGE_FRESH;
    return ucon::Status::kOk;
  }
  out->storage_state = TZU_STORAGE_TAMPERED;
  return ucon::Status::kStorage;
}

}  // namespace monitor
