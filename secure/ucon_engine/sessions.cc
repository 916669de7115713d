// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// sessions.cc - fixed table; ids are never 0 and not reused while live.
// Chains are index-linked (no pointers into the table) and kept sorted by
// slot, so an owner's sessions come out in the order a scan would see them.
#include "sessions.h"

namespace ucon {
namespace {

uint32_t mix32(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdull;
  k ^= k >> 33;
  return static_cast<uint32_t>(k);
}

uint32_t process_hash(const tzu_subject& s) {
  return mix32(s.tgid ^ (static_cast<uint64_t>(s.start_time) << 20) ^
               (static_cast<uint64_t>(s.start_time) >> 44));
}

uint32_t key_hash(uint32_t serial) {
  return mix32(serial ^ 0x6b65790000000000ull);  // "key": apart from tgids
}

uint32_t buckets_for(uint32_t capacity) {
  uint32_t n = 2;
  while (n < 2 * capacity) n <<= 1;
  return n;
}

size_t rounded(size_t bytes) { return (bytes + 7) & ~size_t{7}; }

}  // namespace

size_t SessionTable::bytes(uint32_t capacity) {
  const size_t n = capacity, b = buckets_for(capacity);
  return rounded(n * sizeof(Session)) + rounded((n + 63) / 64 * 8) +
         2 * rounded(b * 4) + 5 * rounded(n * 4) + 64;
}

bool SessionTable::is_key_session(const Session& s) {
  return s.ev.hook == TZU_HOOK_KEY_ALLOC || s.ev.hook == TZU_HOOK_KEY_PERMISSION;
}

Status SessionTable::init(Arena* arena, uint32_t capacity) {
  if (capacity == 0 || capacity > (1u << 24)) return Status::kLimit;
  const uint32_t nb = buckets_for(capacity);
  slots_ = arena->alloc_array<Session>(capacity);
  used_ = arena->alloc_array<uint64_t>((capacity + 63) / 64);
  id_head_ = arena->alloc_array<uint32_t>(nb);
  own_head_ = arena->alloc_array<uint32_t>(nb);
  id_next_ = arena->alloc_array<uint32_t>(capacity);
  id_prev_ = arena->alloc_array<uint32_t>(capacity);
  own_next_ = arena->alloc_array<uint32_t>(capacity);
  own_prev_ = arena->alloc_array<uint32_t>(capacity);
  scratch_ = arena->alloc_array<uint32_t>(capacity);
  if (!slots_ || !used_ || !id_head_ || !own_head_ || !id_next_ || !id_prev_ ||
      !own_next_ || !own_prev_ || !scratch_)
    return Status::kLimit;
  for (uint32_t i = 0; i < nb; ++i) id_head_[i] = own_head_[i] = kNil;
  capacity_ = capacity;
  mask_ = nb - 1;
  live_ = 0;
  next_id_ = 1;
  return Status::kOk;
}

uint32_t SessionTable::owner_bucket(const Session& s) const {
  return (is_key_session(s) ? key_hash(s.ev.object.id)
                            : process_hash(s.ev.subject)) & mask_;
}

// Inserts `slot` into its bucket's chain, keeping the chain sorted by slot.
void SessionTable::link(uint32_t* heads, uint32_t* next, uint32_t* prev,
                        uint32_t bucket, uint32_t slot) {
  uint32_t before = kNil, at = heads[bucket];
  while (at != kNil && at < slot) {
    before = at;
    at = next[at];
  }
  next[slot] = at;
  prev[slot] = before;
  if (at != kNil) prev[at] = slot;
  if (before != kNil) next[before] = slot; else heads[bucket] = slot;
}

void SessionTable::unlink(uint32_t* heads, uint32_t* next, uint32_t* prev,
                          uint32_t bucket, uint32_t slot) {
  if (prev[slot] != kNil) next[prev[slot]] = next[slot]; else heads[bucket] = next[slot];
  if (next[slot] != kNil) prev[next[slot]] = prev[slot];
}

uint32_t SessionTable::next_live(uint32_t from) const {
  for (uint32_t w = from / 64; w * 64 < capacity_; ++w) {
    uint64_t bits = used_[w];
    if (w == from / 64) bits &= ~uint64_t{0} << (from % 64);
    if (bits) {
      const uint32_t i = w * 64 + static_cast<uint32_t>(__builtin_ctzll(bits));
      return i < capacity_ ? i : capacity_;
    }
  }
  return capacity_;
}

Status SessionTable::open(uint32_t rule, uint32_t rule_hash,
                          const tzu_event& ev, Session** out) {
  *out = nullptr;
  if (live_ >= capacity_) return Status::kLimit;
  // Next id not in use (live_ < capacity_ guarantees one exists soon).
  uint32_t id;
  do {
    id = next_id_++;
    if (next_id_ == 0) next_id_ = 1;
  } while (id == 0 || find(id));
  // Lowest free slot, as a scan from slot 0 would pick.
  uint32_t slot = capacity_;
  for (uint32_t w = 0; w * 64 < capacity_; ++w) {
    if (~used_[w]) {
      slot = w * 64 + static_cast<uint32_t>(__builtin_ctzll(~used_[w]));
      break;
    }
  }
  if (slot >= capacity_) return Status::kInternal;
  Session& s = slots_[slot];
  s.id = id;
  s.rule = rule;
  s.rule_hash = rule_hash;
  s.ev = ev;
  used_[slot / 64] |= uint64_t{1} << (slot % 64);
  link(id_head_, id_next_, id_prev_, id_bucket(id), slot);
  link(own_head_, own_next_, own_prev_, owner_bucket(s), slot);
  ++live_;
  *out = &s;
  return Status::kOk;
}

Session* SessionTable::find(uint32_t id) {
  if (id == 0) return nullptr;
  for (uint32_t i = id_head_[id_bucket(id)]; i != kNil; i = id_next_[i])
    if (slots_[i].id == id) return &slots_[i];
  return nullptr;
}

void SessionTable::close(Session* s) {
  const uint32_t slot = static_cast<uint32_t>(s - slots_);
  unlink(id_head_, id_next_, id_prev_, id_bucket(s->id), slot);
  unlink(own_head_, own_next_, own_prev_, owner_bucket(*s), slot);
  used_[slot / 64] &= ~(uint64_t{1} << (slot % 64));
  s->id = 0;
  --live_;
}

uint32_t SessionTable::collect(uint32_t bucket, bool key, const tzu_subject* subj,
                               uint32_t serial, uint32_t* out) const {
  uint32_t n = 0;
  for (uint32_t i = own_head_[bucket]; i != kNil; i = own_next_[i]) {
    const Session& s = slots_[i];
    if (is_key_session(s) != key) continue;
    const bool mine = key ? s.ev.object.id == serial
                          : s.ev.subject.tgid == subj->tgid &&
                                s.ev.subject.start_time == subj->start_time;
    if (mine) out[n++] = s.id;
  }
  return n;
}

uint32_t SessionTable::of_process(const tzu_subject& subj, uint32_t* out) const {
  return collect(process_hash(subj) & mask_, false, &subj, 0, out);
}

uint32_t SessionTable::of_key(uint32_t serial, uint32_t* out) const {
  return collect(key_hash(serial) & mask_, true, nullptr, serial, out);
}

}  // namespace ucon
