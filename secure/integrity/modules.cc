// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// modules.cc - TZU_CMD_INTEGRITY_MODULE: a loaded module's core range is
// baselined once (ADD) and compared a last time at unload (DEL). Refused
// events change nothing but are reported (the sink audits them).
#include <string.h>

#include "crypto.h"
#include "kernel_integrity.h"

namespace integrity {
namespace {

constexpr uint32_t kPage = 4096;

// The name is the normal world's bytes: stop at the first NUL or the end,
// keep printable ASCII only.
void copy_name(char* out, const char* in) {
  uint32_t i = 0;
  for (; i + 1 < TZU_TYPE_LEN && in[i]; ++i)
    out[i] = (in[i] >= 0x20 && in[i] <= 0x7E) ? in[i] : '?';
  out[i] = '\0';
}

}  // namespace

uint64_t KernelIntegrity::module_bytes() const {
  uint64_t n = 0;
  for (const Region& r : regions_)
    if (r.live && r.kind == TZU_IREG_MODULE) n += r.len;
  return n;
}

ucon::Status KernelIntegrity::module_add(const tzu_integrity_module_req& q,
                                         uint8_t* digest) {
  if (q.va % kPage || q.len == 0 || q.len % kPage ||
      uint64_t{q.va} + q.len > (uint64_t{1} << 32) ||
      q.len / kPage > kMaxPages)
    return ucon::Status::kBadField;
  // ARM (non-LPAE): MODULES_VADDR = PAGE_OFFSET - 16 MiB.
  const uint64_t area = mv_.hdr->page_offset;
  if (q.va < area - kModuleArea || uint64_t{q.va} + q.len > area)
    return ucon::Status::kBadField;
  if (overlaps(q.va, q.len)) return ucon::Status::kBusy;
  const uint32_t idx = free_slot();
  if (idx == kMaxRegions || module_bytes() + q.len > cfg_.max_module_bytes)
    return ucon::Status::kLimit;
  Region& r = regions_[idx];
  r = Region{};
  r.kind = TZU_IREG_MODULE;
  r.va = q.va;
  r.len = q.len;
  copy_name(r.name, q.name);
  r.live = true;
  const ucon::Status s = place(&r);
  if (s != ucon::Status::kOk) {
    r = Region{};
    return s;
  }
  // Copy, then hash the copy: the digest is of exactly what is compared.
  for (uint32_t off = 0; off < r.len; off += kPage)
    memcpy(cfg_.copy + r.copy_off + off, live_at(r, off, kPage), kPage);
  r.flags |= TZU_IRF_BASELINED;
  ucon::sha256(cfg_.copy + r.copy_off, r.len, digest);
  return ucon::Status::kOk;
}

ucon::Status KernelIntegrity::module_del(const tzu_integrity_module_req& q,
                                         uint8_t* digest, uint64_t now_us) {
  uint32_t idx = 0;
  while (idx < kMaxRegions &&
         !(regions_[idx].live && regions_[idx].kind == TZU_IREG_MODULE &&
           regions_[idx].va == q.va && regions_[idx].len == q.len))
    ++idx;
  if (idx == kMaxRegions) return ucon::Status::kNotFound;
  Region& r = regions_[idx];
  r.pass_dirty = false;
  bytes_compared_ += compare_span(idx, 0, r.len, now_us);
  ucon::sha256(cfg_.copy + r.copy_off, r.len, digest);
  if (cur_region_ == idx) {  // the pass goes on with the next region
    ++cur_region_;
    cur_off_ = 0;
  }
  r = Region{};
  return ucon::Status::kOk;
}

ucon::Status KernelIntegrity::module(const tzu_integrity_module_req& q,
                                     uint64_t now_us) {
  uint8_t digest[32];
  ucon::Status s = ucon::Status::kBadField;
  if (!(flags_ & TZU_IS_REGISTERED))
    s = ucon::Status::kNotFound;  // no kernel, no page tables to walk
  else if (q.op == TZU_KMOD_ADD)
    s = module_add(q, digest);
  else if (q.op == TZU_KMOD_DEL)
    s = module_del(q, digest, now_us);
  sink_->registered(TZU_IREG_MODULE, q.op, q.va, q.len, s,
                    s == ucon::Status::kOk ? digest : nullptr);
  // A module that runs unmeasured: nothing vouches for its text.
  if (q.op == TZU_KMOD_ADD && s == ucon::Status::kLimit)
    degrade(TZU_IS_UNMEASURED);
  return s;
}

}  // namespace integrity
