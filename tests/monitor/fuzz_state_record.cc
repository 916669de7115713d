// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// fuzz_state_record.cc - libFuzzer target for the persistent-state record
// as a flash dump presents it. Input byte 0 picks the mode:
//  even: the rest is slot A then slot B, raw (short input padded with 0xFF);
//  odd:  the rest gives two states and sequence numbers, which are encoded
//        with the storage key, then (slot, offset, xor) triples edit them.
// Invariants: no crash/UB; a copy that verifies re-encodes to the same
// bytes (the encoding is canonical, so nothing unauthenticated is read);
// OK picks the highest verifying sequence; FRESH only for two blank slots;
// an edited copy never verifies.
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "state_record.h"

namespace {

using monitor::kRecordSize;

const std::uint8_t kSecret[32] = {0x5A};

struct Cursor {
  const std::uint8_t* p;
  std::size_t n;
  std::uint8_t byte() {
    if (n == 0) return 0;
    --n;
    return *p++;
  }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= std::uint64_t{byte()} << (8 * i);
    return v;
  }
};

void check(bool ok) {
  if (!ok) std::abort();
}

bool verifies(const std::uint8_t* rec, const std::uint8_t* key,
              std::uint64_t* seq) {
  monitor::PersistentState st;
  if (monitor::decode(rec, kRecordSize, key, &st, seq) != ucon::Status::kOk)
    return false;
  std::uint8_t again[kRecordSize];
  monitor::encode(st, *seq, key, again);
  check(std::memcmp(again, rec, kRecordSize) == 0);
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::uint8_t key[monitor::kStorageKeyLen];
  monitor::derive_storage_key(kSecret, key);
  std::uint8_t slot[2][kRecordSize];
  std::memset(slot, 0xFF, sizeof(slot));
  Cursor in{data, size};
  bool edited[2] = {false, false};
  const bool structured = in.byte() & 1;
  if (!structured) {
    const std::size_t n = in.n < sizeof(slot) ? in.n : sizeof(slot);
    std::memcpy(slot, in.p, n);
  } else {
    for (auto& s : slot) {
      monitor::PersistentState st;
      st.boot_counter = in.u64();
      st.admin_counter = in.u64();
      st.floor_version = static_cast<std::uint32_t>(in.u64());
      st.floor_set = in.byte() & 1;
      for (auto& d : st.floor_digest) d = in.byte();
      monitor::encode(st, in.u64(), key, s);
    }
    while (in.n >= 3) {
      const int w = in.byte() & 1;
      const std::uint8_t off = in.byte() % kRecordSize;
      const std::uint8_t x = in.byte();
      if (x == 0) continue;
      slot[w][off] ^= x;
      edited[w] = true;
    }
  }

  std::uint64_t seq[2] = {0, 0};
  const bool ok[2] = {verifies(slot[0], key, &seq[0]),
                      verifies(slot[1], key, &seq[1])};
  // Structured input: an intact copy verifies; an edited one may verify
  // only if the edits cancelled out (then it re-encoded identically).
  if (structured)
    for (int i = 0; i < 2; ++i) check(ok[i] || edited[i]);

  monitor::SlotChoice c;
  const ucon::Status s =
      monitor::choose_slot(slot[0], slot[1], kRecordSize, key, &c);
  if (ok[0] || ok[1]) {
    check(s == ucon::Status::kOk && c.storage_state == TZU_STORAGE_OK);
    check(c.slot == 0 || c.slot == 1);
    check(ok[c.slot]);
    check(c.seq == seq[c.slot]);
    check(!ok[1 - c.slot] || seq[1 - c.slot] <= c.seq);
  } else if (monitor::is_blank(slot[0], kRecordSize) &&
             monitor::is_blank(slot[1], kRecordSize)) {
    check(s == ucon::Status::kOk && c.storage_state == TZU_STORAGE_FRESH);
    check(c.slot == -1 && c.st.boot_counter == 0);
  } else {
    check(s == ucon::Status::kStorage &&
          c.storage_state == TZU_STORAGE_TAMPERED && c.slot == -1);
  }
  return 0;
}
