// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// fuzz_policy_blob.cc - fuzzes the engine's blob decoder and, for blobs it
// accepts, evaluation, attribute writes (admin and secure writers), session
// and key ends. The input is a blob body; the harness binds it to the
// engine's device (unless the body says kPolicyAnyDevice) and appends a
// valid Ed25519 signature, so inputs get past authentication and reach the
// structural checks. The engine is set up once per process and re-initialised
// in the same arena for every input.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "blob_format.h"
#include "ed25519.h"
#include "fuzz_events.h"

namespace {

constexpr std::uint8_t kDevice[ucon::kDeviceIdLen] = {0xf0, 0x0d, 1, 2, 3, 4, 5, 6,
                                                      7, 8, 9, 10, 11, 12, 13, 14};

struct Harness {
  std::vector<std::uint64_t> arena;
  ucon::Engine engine;
  std::uint8_t pub[32];
  Harness() : arena(ucon::Engine::arena_bytes(fuzz::config()) / 8 + 1) {
    ucon::ed25519_public_key(fuzz::key().data(), pub);
  }
  void reset() {
    if (engine.init(arena.data(), arena.size() * 8, fuzz::config(), pub,
                    kDevice) != ucon::Status::kOk)
      __builtin_trap();
  }
};

// Attribute names of an accepted blob (the decoder validated every offset).
std::vector<std::vector<char>> attr_names(const std::vector<std::uint8_t>& blob) {
  ucon::BlobHeader h;
  std::memcpy(&h, blob.data(), sizeof(h));
  std::vector<std::vector<char>> out;
  for (std::uint32_t a = 0; a < h.n_attrs; ++a) {
    ucon::BlobAttr d;
    std::memcpy(&d, blob.data() + h.attrs_off + a * sizeof(d), sizeof(d));
    const char* p = reinterpret_cast<const char*>(blob.data()) + h.pool_off + d.name_off;
    out.emplace_back(p, p + d.name_len);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Harness* hs = new Harness;
  hs->reset();
  std::vector<std::uint8_t> blob(data, data + size);
  if (blob.size() >= sizeof(ucon::BlobHeader)) {
    ucon::BlobHeader h;
    std::memcpy(&h, blob.data(), sizeof(h));
    if (!(h.flags & ucon::kPolicyAnyDevice))
      std::memcpy(blob.data() + offsetof(ucon::BlobHeader, device_id), kDevice,
                  sizeof(kDevice));
  }
  blob.resize(blob.size() + ucon::kBlobSigLen);
  ucon::ed25519_sign(fuzz::key().data(), hs->pub, blob.data(), size,
                     blob.data() + size);

  ucon::Engine& e = hs->engine;
  ucon::LoadResult lr;
  if (e.load_policy(blob.data(), blob.size(), &lr) != ucon::Status::kOk) return 0;

  std::vector<tzu_event> evs = fuzz::events();
  std::vector<std::uint32_t> sessions;
  for (const tzu_event& ev : evs) {
    tzu_decision d;
    if (e.decide(ev, &d) != ucon::Status::kOk) __builtin_trap();  // events are well-formed
    if (d.flags & TZU_DF_SESSION_OPENED) sessions.push_back(d.session_id);
  }
  // Drive every declared attribute through each writer and operation, then
  // decide again: revocation and re-evaluation with arbitrary ongoing rules.
  for (const std::vector<char>& name : attr_names(blob)) {
    for (std::uint32_t op = TZU_ATTR_OP_SET; op <= TZU_ATTR_OP_CLEAR; ++op) {
      std::int64_t nv;
      ucon::Revocations rev;
      (void)e.update_attr(name.data(), name.size(), op, 100, 2, &nv, &rev);
    }
    ucon::Revocations rev;
    (void)e.set_secure_attr(name.data(), name.size(), TZU_INTEGRITY_VIOLATED, &rev);
  }
  for (const tzu_event& ev : evs) {
    tzu_decision d;
    (void)e.decide(ev, &d);
  }
  for (std::uint32_t id : sessions) {
    ucon::Revocations rev;
    (void)e.end_usage(id, &rev);
  }
  tzu_stats st;
  e.stats(&st);
  return 0;
}
