// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// fuzz_policy_blob.cc - fuzzes the engine's blob decoder and, for blobs it
// accepts, evaluation, attribute updates and session ends. The input is a
// blob body; the harness appends a valid HMAC so inputs get past
// authentication and reach the structural checks.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "blob_view.h"
#include "crypto.h"
#include "fuzz_events.h"
#include "replay.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<std::uint8_t>& key = fuzz::key();
  std::vector<std::uint8_t> blob(data, data + size);
  blob.resize(size + ucon::kSha256Len);
  ucon::hmac_sha256(key.data(), key.size(), data, size, blob.data() + size);

  policyctl::HostEngine host(key.data(), key.size(), fuzz::config());
  if (!host.ok()) __builtin_trap();
  ucon::LoadResult lr;
  if (host.load(blob, &lr) != ucon::Status::kOk) return 0;

  ucon::Engine& e = host.engine();
  std::vector<tzu_event> evs = fuzz::events();
  std::vector<std::uint32_t> sessions;
  for (const tzu_event& ev : evs) {
    tzu_decision d;
    if (e.decide(ev, &d) != ucon::Status::kOk) __builtin_trap();  // events are well-formed
    if (d.flags & TZU_DF_SESSION_OPENED) sessions.push_back(d.session_id);
  }
  // Drive every declared attribute through each operation, then decide
  // again: revocation and re-evaluation paths with arbitrary ongoing rules.
  std::string err;
  auto view = policyctl::BlobView::parse(blob, &err);
  if (!view) __builtin_trap();  // the engine accepted it
  for (std::uint32_t a = 0; a < view->n_attrs(); ++a) {
    std::string name = view->attr_name(a);
    for (std::uint32_t op = TZU_ATTR_OP_SET; op <= TZU_ATTR_OP_CLEAR; ++op) {
      std::int64_t nv;
      ucon::Revocations rev;
      (void)e.update_attr(name.data(), name.size(), op, 100, 2, &nv, &rev);
    }
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
