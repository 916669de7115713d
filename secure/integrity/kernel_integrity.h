// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// kernel_integrity.h - the secure world's runtime measurement of the normal
// world's kernel: a signed manifest of what the kernel's read-only memory
// must hold, a baseline copy in secure memory taken at the kernel's first
// registration, bounded re-comparison on every secure timer tick, module
// regions, and the heartbeat the kernel owes. Plain C++17, no allocation,
// -fno-exceptions -fno-rtti: the same code runs on the host (tests, with a
// buffer standing in for normal-world RAM) and in the secure image.
//
// Trust: everything here is computed from the manifest (signed with the
// policy key at the kernel build), from memory the secure world reads
// itself, and from the secure clock. What the normal world sends
// (registration, modules, heartbeats) are events: they can make the state
// worse (a refused or late event degrades it), never better.
#ifndef TZUCON_INTEGRITY_KERNEL_INTEGRITY_H
#define TZUCON_INTEGRITY_KERNEL_INTEGRITY_H

#include <stddef.h>
#include <stdint.h>

#include "manifest.h"
#include "status.h"
#include "tzucon_abi.h"

namespace integrity {

// Normal-world physical memory as the secure world reads it: PA
// [pa_base, pa_base + size) mapped read-only at `base` (the secure MMU's NS
// mapping; on the host, a test buffer). Reads of the hole (secure carve-out
// and shared window) or outside are refused.
struct NsMemory {
  const uint8_t* base = nullptr;
  uint64_t pa_base = 0;
  uint64_t size = 0;
  uint64_t hole_base = 0;
  uint64_t hole_size = 0;
  // nullptr unless [pa, pa + len) lies inside and outside the hole.
  const uint8_t* at(uint64_t pa, uint32_t len) const;
};

struct Config {
  NsMemory ns;
  uint8_t* copy = nullptr;  // baseline store (secure memory), 4-byte aligned
  uint32_t copy_cap = 0;
  uint32_t period_us = 10000;          // tick period the caller drives
  uint32_t chunk_bytes = 128u << 10;   // compared per tick
  uint32_t heartbeat_ms = 50;          // period expected from the kernel
  uint32_t heartbeat_timeout_ms = 400; // silence that degrades (sealed)
  // Silence that degrades before the seal (the first TZU_HB_RUNNING
  // heartbeat). The kernel's init ends with stop_machine() calls
  // (free_initmem, mark_rodata_ro: section permissions, a TLB invalidate
  // per 4 KiB page) that keep every CPU from sending; under two-CPU QEMU
  // emulation they took 0.89 s (docs/integrity.md, "Heartbeat"). Bounded
  // anyway: the seal is owed within seal_deadline_ms. Never below
  // heartbeat_timeout_ms.
  uint32_t boot_heartbeat_timeout_ms = 2000;
  uint32_t register_deadline_ms = 60000;  // from load_manifest
  uint32_t seal_deadline_ms = 60000;      // from registration
  uint32_t counter_slack = 4;  // decisions in flight at a heartbeat
  // A pass never takes more ticks than this: with more bytes registered
  // (modules) each tick compares more, so detection latency stays bounded
  // and the cost grows with what is measured instead.
  uint32_t max_pass_ticks = 37;
  // Module text + read-only data measured at most (ADD past it: kLimit,
  // degraded with TZU_IS_UNMEASURED). Bounds what a kernel-level attacker
  // adds to every pass by registering junk ranges.
  uint32_t max_module_bytes = 4u << 20;
};

// A detection, for the audit chain and the signed report.
struct Mismatch {
  uint32_t kind = 0;    // TZU_IREG_*
  uint32_t region = 0;  // index in the region table
  uint32_t va = 0;      // region start
  uint32_t offset = 0;  // first differing byte in the region
  uint8_t expected[32] = {};  // SHA-256 of the 4 KiB page in the baseline
  uint8_t observed[32] = {};  // the same page as found
};

// What the monitor reports to its host (the dispatcher), synchronously,
// from whichever call noticed it. The host turns these into audit records
// and into the engine's `integrity_state` attribute.
class Sink {
 public:
  // The state went from `from` to `to` (TZU_INTEGRITY_*); `why` is the
  // TZU_IS_* flag that caused a degradation, or 0.
  virtual void state_changed(uint32_t from, uint32_t to, uint32_t why) = 0;
  virtual void mismatch(const Mismatch& m) = 0;
  // A registration (kernel: kind per region; module ADD/DEL) and its
  // outcome; digest = SHA-256 of the region's baseline (nullptr if none).
  virtual void registered(uint32_t kind, uint32_t op, uint32_t va,
                          uint32_t len, ucon::Status s,
                          const uint8_t* digest) = 0;

 protected:
  ~Sink() = default;
};

class KernelIntegrity {
 public:
  static constexpr uint32_t kMaxRegions = 96;  // kernel + modules
  static constexpr uint32_t kMaxPages = 8192;  // 32 MiB measured in all

  ucon::Status init(const Config& cfg, Sink* sink);

  // At boot, before the normal world runs: `m` points at the loaded
  // manifest (at most `cap` bytes readable). kNotFound if there is none
  // (magic 0: state stays UNKNOWN, nothing is measured); kMalformed or
  // kAuth if it is refused (state VIOLATED, TZU_IS_MANIFEST_BAD). Either
  // way the registration deadline starts: without a manifest, a kernel that
  // registers, or the deadline passing, degrades with TZU_IS_NO_MANIFEST. The
  // manifest is copied; `m` is not used afterwards.
  ucon::Status load_manifest(const uint8_t* m, uint32_t cap,
                             const uint8_t policy_pub[32], uint64_t now_us);

  // TZU_CMD_INTEGRITY_REGISTER: translate every manifest region through
  // the kernel's swapper_pg_dir (a linear-map region must translate to
  // va - page_offset + phys_base: a first-level table that points kernel
  // text at a clean copy is refused), check digests, take the baseline. State
  // OK if all matched, else VIOLATED. A second call: kBusy (reported to the
  // sink, nothing changes). Without a manifest: kNotFound.
  ucon::Status register_kernel(uint64_t now_us);

  // TZU_CMD_INTEGRITY_MODULE. ADD: [va, va+len) inside the module area
  // (the 16 MiB below page_offset, else kBadField), translated page by
  // page, copied as baseline; a range overlapping a registered one is
  // refused (kBusy); no room (slots, pages, max_module_bytes) is kLimit and
  // degrades (TZU_IS_UNMEASURED). DEL: final comparison (a difference is a detection), then the
  // region is dropped; an unknown range is kNotFound.
  ucon::Status module(const tzu_integrity_module_req& r, uint64_t now_us);

  // TZU_CMD_HEARTBEAT. secure_decisions: DECIDE calls the secure world has
  // served so far. The first TZU_HB_RUNNING heartbeat seals (baselines the
  // TZU_KMR_AT_SEAL regions). Counters that disagree degrade the state.
  // Silence (since the last heartbeat, or the registration) degrades with
  // TZU_IS_HEARTBEAT_LOST past boot_heartbeat_timeout_ms until the seal,
  // past heartbeat_timeout_ms from the seal on.
  ucon::Status heartbeat(const tzu_heartbeat_req& r, uint64_t secure_decisions,
                         uint64_t now_us);

  // One timer tick: compare the next chunk_bytes of the pass (wrapping to
  // the next pass), then the heartbeat and deadline checks.
  void tick(uint64_t now_us);

  // TZU_CMD_INTEGRITY_CHECK: one complete pass now (and the checks).
  void full_pass(uint64_t now_us);

  // Forced by the host (e.g. a weakened kernel command line): VIOLATED.
  void set_violated(uint32_t why);
  // The host's own finding that the normal world stopped the measurement
  // (e.g. TZU_IS_TIMER_TAMPERED): DEGRADED unless already worse; `why` is
  // kept in flags() either way.
  void degrade(uint32_t why);

  uint32_t state() const { return state_; }
  uint32_t flags() const { return flags_; }
  const Mismatch& last_mismatch() const { return last_; }
  // Status header (hdr left zero) plus up to max_regions region entries;
  // returns the number of entries written.
  uint32_t status(tzu_integrity_status* st, tzu_integrity_region* regions,
                  uint32_t max_regions, uint64_t now_us) const;

  // Implementation state below: kernel_integrity.cc (state, events,
  // status), regions.cc (region table, translation, baseline), modules.cc,
  // measure.cc (the incremental pass).
  //
  // Choices the contract leaves open:
  // - register_kernel returns kOk once the regions were examined; a region
  //   that fails is reported to the sink (kBadOffset: not mapped or not
  //   readable NS RAM; kLimit: no room in pages_/copy; kAuth: digest
  //   differs, baseline kept) and makes the state VIOLATED.
  // - A digest mismatch (registration, or seal for AT_SEAL|DIGEST) has
  //   Mismatch.offset ~0u and expected/observed = the whole region's
  //   masked digests (manifest / as found): a digest says no offset.
  // - Page digests of a detection cover the region's bytes inside the
  //   4 KiB virtual page of the first difference (< 4 KiB for small
  //   regions such as the vectors or the syscall table).
  // - A heartbeat with seq <= the last one is kReplay, keeps nothing alive
  //   and degrades with TZU_IS_COUNTERS_DISAGREE; so does a kernel
  //   decisions_sent that went back. Unknown heartbeat flags: kBadField.
  // - Refused module events (kBadField, kBusy, kNotFound, kLimit,
  //   kBadOffset) change no state; the sink still hears of them. Module
  //   events before registration: kNotFound.
  // - A new degradation cause while the state cannot move (already
  //   DEGRADED or VIOLATED) is added to flags() without a sink call.
  // - full_pass restarts the incremental pass; its pass_us is 0.
 private:
  struct Region {
    uint32_t kind = 0;
    uint32_t flags = 0;  // TZU_IRF_*
    uint32_t va = 0;
    uint32_t len = 0;
    uint32_t first_page = 0;  // index into pages_
    uint32_t n_pages = 0;     // 0: not translated (never compared)
    uint32_t copy_off = 0;    // offset of the baseline in cfg_.copy
    uint32_t mismatches = 0;
    uint32_t first_offset = ~0u;
    uint32_t manifest_flags = 0;  // TZU_KMR_*
    uint8_t sha256[32] = {};
    char name[TZU_TYPE_LEN] = {};
    bool live = false;
    bool pass_dirty = false;  // a difference seen in the current pass
  };

  // kernel_integrity.cc
  void set_state(uint32_t to, uint32_t why);
  void violate(uint32_t why);
  void check_deadlines(uint64_t now_us);
  bool counters_disagree(const tzu_heartbeat_req& r, uint64_t secure) const;
  void seal(uint64_t now_us);
  void record(const Mismatch& m, uint64_t now_us);
  // regions.cc
  bool alloc_pages(uint32_t n, uint32_t* first) const;
  bool alloc_copy(uint32_t len, uint32_t* off) const;
  ucon::Status place(Region* r);
  ucon::Status map_pages(const Region& r);
  const uint8_t* live_at(const Region& r, uint32_t off, uint32_t len) const;
  bool overlaps(uint32_t va, uint32_t len) const;
  uint32_t free_slot() const;
  void hash_region(const Region& r, uint8_t masked[32],
                   uint8_t plain[32]) const;
  void baseline(uint32_t idx, uint32_t op, uint64_t now_us);
  void add_kernel_region(const tzu_kmanifest_region& m, bool* all_ok,
                         uint64_t now_us);
  ucon::Status module_add(const tzu_integrity_module_req& r, uint8_t* digest);
  ucon::Status module_del(const tzu_integrity_module_req& r, uint8_t* digest,
                          uint64_t now_us);
  // measure.cc
  bool measurable(uint32_t idx) const;
  bool linear_only(const Region& r) const;
  uint64_t bytes_total() const;
  uint64_t module_bytes() const;
  uint32_t chunk() const;
  static constexpr uint32_t kModuleArea = 16u << 20;
  void measure(uint32_t budget, uint64_t now_us);
  uint32_t compare_span(uint32_t idx, uint32_t off, uint32_t budget,
                        uint64_t now_us);
  void on_difference(uint32_t idx, uint32_t off, uint64_t now_us);
  void end_pass(uint64_t now_us);

  Config cfg_;
  Sink* sink_ = nullptr;
  uint32_t state_ = TZU_INTEGRITY_UNKNOWN;
  uint32_t flags_ = 0;
  Mismatch last_;
  Region regions_[kMaxRegions];
  uint32_t pages_[kMaxPages];  // physical page addresses, per region
  // Manifest (copied, then parsed: views point into manifest_).
  alignas(8) uint8_t manifest_[TZU_KMANIFEST_MAX];
  ManifestView mv_;
  uint32_t l1_pa_ = 0;  // PA(swapper_pg_dir)
  uint8_t manifest_sha256_[32] = {};
  // Pass cursor and counters.
  uint32_t cur_region_ = 0;
  uint32_t cur_off_ = 0;
  bool in_pass_ = false;
  uint64_t pass_start_us_ = 0;
  uint64_t ticks_ = 0, passes_ = 0, mismatches_ = 0;
  uint64_t bytes_compared_ = 0;
  uint64_t last_pass_us_ = 0, pass_us_ = 0;
  uint64_t heartbeats_ = 0, last_heartbeat_us_ = 0, hb_seq_ = 0;
  uint64_t first_violation_us_ = 0;
  uint64_t kernel_decisions_ = 0, secure_decisions_ = 0;
  uint64_t cached_allowed_ = 0, cached_denied_ = 0;  // last heartbeat's
  uint64_t manifest_us_ = 0, register_us_ = 0;
  bool boot_seen_ = false;  // load_manifest ran (with or without one)
};

}  // namespace integrity

#endif  // TZUCON_INTEGRITY_KERNEL_INTEGRITY_H
