// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// kernel_integrity.cc - the state machine (UNKNOWN -> OK; any -> VIOLATED;
// UNKNOWN/OK -> DEGRADED; both sticky), the manifest, registration,
// heartbeat and deadline checks, and the status report.
#include <string.h>

#include "crypto.h"
#include "kernel_integrity.h"

namespace integrity {
namespace {

uint64_t ms_to_us(uint32_t ms) { return uint64_t{ms} * 1000u; }

// Elapsed time that tolerates a clock read before `since`.
bool older_than(uint64_t now, uint64_t since, uint32_t ms) {
  return now > since && now - since > ms_to_us(ms);
}

}  // namespace

ucon::Status KernelIntegrity::init(const Config& cfg, Sink* sink) {
  if (!sink || !cfg.ns.base || !cfg.ns.size || !cfg.copy ||
      reinterpret_cast<uintptr_t>(cfg.copy) % 4 || cfg.copy_cap % 4 ||
      cfg.chunk_bytes < 4 || cfg.chunk_bytes % 4 || !cfg.period_us ||
      !cfg.max_pass_ticks)
    return ucon::Status::kBadField;
  cfg_ = cfg;
  sink_ = sink;
  state_ = TZU_INTEGRITY_UNKNOWN;
  flags_ = 0;
  last_ = Mismatch{};
  for (Region& r : regions_) r = Region{};
  mv_ = ManifestView{};
  l1_pa_ = 0;
  memset(manifest_sha256_, 0, sizeof(manifest_sha256_));
  cur_region_ = cur_off_ = 0;
  in_pass_ = false;
  pass_start_us_ = ticks_ = passes_ = mismatches_ = bytes_compared_ = 0;
  last_pass_us_ = pass_us_ = heartbeats_ = last_heartbeat_us_ = hb_seq_ = 0;
  first_violation_us_ = kernel_decisions_ = secure_decisions_ = 0;
  cached_allowed_ = cached_denied_ = 0;
  manifest_us_ = register_us_ = 0;
  boot_seen_ = false;
  return ucon::Status::kOk;
}

void KernelIntegrity::set_state(uint32_t to, uint32_t why) {
  if (to == state_) return;
  const uint32_t from = state_;
  state_ = to;
  sink_->state_changed(from, to, why);
}

void KernelIntegrity::violate(uint32_t why) {
  flags_ |= why;
  set_state(TZU_INTEGRITY_VIOLATED, why);
}

// Every new cause reaches the sink (and so the audit chain), also when the
// state cannot move any more (already DEGRADED or VIOLATED): then the call
// has from == to. A cause seen before is only kept in flags_.
void KernelIntegrity::degrade(uint32_t why) {
  const uint32_t fresh = why & ~flags_;
  flags_ |= why;
  if (state_ == TZU_INTEGRITY_UNKNOWN || state_ == TZU_INTEGRITY_OK)
    set_state(TZU_INTEGRITY_DEGRADED, why);
  else if (fresh)
    sink_->state_changed(state_, state_, fresh);
}

void KernelIntegrity::set_violated(uint32_t why) { violate(why); }

void KernelIntegrity::record(const Mismatch& m, uint64_t now_us) {
  ++mismatches_;
  last_ = m;
  if (!first_violation_us_) first_violation_us_ = now_us ? now_us : 1;
  sink_->mismatch(m);
  violate(0);
}

ucon::Status KernelIntegrity::load_manifest(const uint8_t* m, uint32_t cap,
                                            const uint8_t policy_pub[32],
                                            uint64_t now_us) {
  if (flags_ & (TZU_IS_MANIFEST | TZU_IS_MANIFEST_BAD))
    return ucon::Status::kBusy;
  // From the first call the registration deadline runs, manifest or not:
  // deleting the manifest from the boot media must not leave the state
  // UNKNOWN.
  if (!boot_seen_) manifest_us_ = now_us;
  boot_seen_ = true;
  uint32_t magic = 0;
  if (!m || cap < sizeof(magic)) return ucon::Status::kNotFound;
  memcpy(&magic, m, sizeof(magic));
  if (magic == 0) return ucon::Status::kNotFound;
  // Copy before parse: every check below reads only the secure copy.
  const uint32_t n = cap < TZU_KMANIFEST_MAX ? cap : TZU_KMANIFEST_MAX;
  memcpy(manifest_, m, n);
  const ucon::Status s = parse_manifest(manifest_, n, policy_pub, &mv_, nullptr);
  if (s != ucon::Status::kOk) {
    violate(TZU_IS_MANIFEST_BAD);
    return s;
  }
  const tzu_kmanifest_hdr& h = *mv_.hdr;
  l1_pa_ = h.swapper_pg_dir - h.page_offset + h.phys_base;
  ucon::sha256(manifest_, mv_.size, manifest_sha256_);
  flags_ |= TZU_IS_MANIFEST;
  return ucon::Status::kOk;
}

// Returns kOk once the regions were examined, whatever they held: the
// outcome is the state (OK or VIOLATED) and the per-region flags.
ucon::Status KernelIntegrity::register_kernel(uint64_t now_us) {
  ucon::Status s = ucon::Status::kOk;
  if (!(flags_ & TZU_IS_MANIFEST))
    s = ucon::Status::kNotFound;
  else if (flags_ & TZU_IS_REGISTERED)
    s = ucon::Status::kBusy;
  if (s != ucon::Status::kOk) {
    sink_->registered(0, 0, 0, 0, s, nullptr);
    // A kernel runs that no manifest vouches for.
    if (s == ucon::Status::kNotFound && !(flags_ & TZU_IS_MANIFEST_BAD))
      degrade(TZU_IS_NO_MANIFEST);
    return s;
  }
  flags_ |= TZU_IS_REGISTERED;
  register_us_ = now_us;
  bool all_ok = true;
  for (uint32_t i = 0; i < mv_.n_regions; ++i)
    add_kernel_region(mv_.regions[i], &all_ok, now_us);
  if (!all_ok)
    violate(0);
  else if (state_ == TZU_INTEGRITY_UNKNOWN)
    set_state(TZU_INTEGRITY_OK, 0);
  return ucon::Status::kOk;
}

// Either the kernel counts DECIDE calls the secure world never served (an
// interposer answering for it) or the secure world served calls the kernel
// never sent (someone else issued them). `slack` covers calls in flight.
// With two CPUs the other one keeps deciding between the kernel's snapshot
// and this heartbeat's arrival, so the secure count now may be ahead of the
// snapshot by any amount; what it served up to the previous heartbeat was
// all sent before this snapshot was taken, so that is the bound for calls
// the kernel never sent (found one heartbeat later).
bool KernelIntegrity::counters_disagree(const tzu_heartbeat_req& r,
                                        uint64_t secure) const {
  const uint64_t sent = r.decisions_sent, slack = cfg_.counter_slack;
  if (heartbeats_ && sent < kernel_decisions_) return true;  // went back
  if (sent > secure && sent - secure > slack) return true;
  const uint64_t served_before = heartbeats_ ? secure_decisions_ : 0;
  return served_before > sent && served_before - sent > slack;
}

// A non-increasing seq is a replayed or forged heartbeat: refused (it keeps
// nothing alive) and it degrades with TZU_IS_COUNTERS_DISAGREE, the
// kernel's counters being by definition not what it reported last.
ucon::Status KernelIntegrity::heartbeat(const tzu_heartbeat_req& r,
                                        uint64_t secure_decisions,
                                        uint64_t now_us) {
  if (r.flags & ~TZU_HB_RUNNING) return ucon::Status::kBadField;
  if (r.seq <= hb_seq_) {
    degrade(TZU_IS_COUNTERS_DISAGREE);
    return ucon::Status::kReplay;
  }
  const bool disagree = counters_disagree(r, secure_decisions);
  hb_seq_ = r.seq;
  ++heartbeats_;
  last_heartbeat_us_ = now_us;
  kernel_decisions_ = r.decisions_sent;
  secure_decisions_ = secure_decisions;
  // Accounting only: decisions the kernel took from its cache in the
  // secure world's name. Nothing is enforced on them (docs/kernel.md).
  cached_allowed_ = r.cached_allowed;
  cached_denied_ = r.cached_denied;
  if (disagree) degrade(TZU_IS_COUNTERS_DISAGREE);
  if ((r.flags & TZU_HB_RUNNING) && (flags_ & TZU_IS_REGISTERED) &&
      !(flags_ & TZU_IS_SEALED))
    seal(now_us);
  return ucon::Status::kOk;
}

void KernelIntegrity::seal(uint64_t now_us) {
  flags_ |= TZU_IS_SEALED;
  for (uint32_t i = 0; i < kMaxRegions; ++i) {
    const Region& r = regions_[i];
    if (r.live && (r.manifest_flags & TZU_KMR_AT_SEAL) && r.n_pages &&
        !(r.flags & TZU_IRF_BASELINED))
      baseline(i, 0, now_us);
  }
}

void KernelIntegrity::check_deadlines(uint64_t now_us) {
  const bool registered = flags_ & TZU_IS_REGISTERED;
  if (registered) {
    const uint64_t alive = heartbeats_ ? last_heartbeat_us_ : register_us_;
    // Until the seal the kernel's init may stop every CPU for a while
    // (kernel_integrity.h, boot_heartbeat_timeout_ms); the seal deadline
    // bounds how long that grace lasts.
    uint32_t timeout = cfg_.heartbeat_timeout_ms;
    if (!(flags_ & TZU_IS_SEALED) && cfg_.boot_heartbeat_timeout_ms > timeout)
      timeout = cfg_.boot_heartbeat_timeout_ms;
    if (older_than(now_us, alive, timeout))
      degrade(TZU_IS_HEARTBEAT_LOST);
    if (!(flags_ & TZU_IS_SEALED) &&
        older_than(now_us, register_us_, cfg_.seal_deadline_ms))
      degrade(TZU_IS_DEADLINE_MISSED);
  } else if (boot_seen_ &&
             older_than(now_us, manifest_us_, cfg_.register_deadline_ms)) {
    degrade((flags_ & TZU_IS_MANIFEST) ? TZU_IS_DEADLINE_MISSED
                                       : TZU_IS_NO_MANIFEST);
  }
}

uint32_t KernelIntegrity::status(tzu_integrity_status* st,
                                 tzu_integrity_region* out,
                                 uint32_t max_regions, uint64_t now_us) const {
  const tzu_hdr hdr = st->hdr;
  memset(st, 0, sizeof(*st));
  st->hdr = hdr;
  st->state = state_;
  st->flags = flags_;
  st->period_us = cfg_.period_us;
  st->heartbeat_ms = cfg_.heartbeat_ms;
  st->heartbeat_timeout_ms = cfg_.heartbeat_timeout_ms;
  st->chunk_bytes = chunk();  // as compared now (grows with modules)
  st->now_us = now_us;
  st->ticks = ticks_;
  st->passes = passes_;
  st->mismatches = mismatches_;
  st->bytes_total = bytes_total();
  st->bytes_compared = bytes_compared_;
  st->last_pass_us = last_pass_us_;
  st->pass_us = pass_us_;
  st->heartbeats = heartbeats_;
  st->last_heartbeat_us = heartbeats_ ? last_heartbeat_us_ : 0;
  st->first_violation_us = first_violation_us_;
  st->kernel_decisions = kernel_decisions_;
  st->secure_decisions = secure_decisions_;
  st->kernel_cached_allowed = cached_allowed_;
  st->kernel_cached_denied = cached_denied_;
  memcpy(st->manifest_sha256, manifest_sha256_, sizeof(st->manifest_sha256));
  uint32_t n = 0;
  for (uint32_t i = 0; i < kMaxRegions && n < max_regions && out; ++i) {
    const Region& r = regions_[i];
    if (!r.live) continue;
    tzu_integrity_region& o = out[n++];
    memset(&o, 0, sizeof(o));
    o.kind = r.kind;
    o.flags = r.flags;
    o.va = r.va;
    o.len = r.len;
    o.mismatches = r.mismatches;
    o.first_offset = r.first_offset;
    memcpy(o.name, r.name, sizeof(o.name));
  }
  st->n_regions = n;
  return n;
}

}  // namespace integrity
