// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// sessions.cc - fixed table; ids are never 0 and not reused while live.
#include "sessions.h"

namespace ucon {

Status SessionTable::init(Arena* arena, uint32_t capacity) {
  if (capacity == 0) return Status::kLimit;
  slots_ = arena->alloc_array<Session>(capacity);
  if (!slots_) return Status::kLimit;
  capacity_ = capacity;
  return Status::kOk;
}

Status SessionTable::open(uint32_t rule, uint32_t rule_hash,
                          const tzu_event& ev, Session** out) {
  *out = nullptr;
  if (live_ >= capacity_) return Status::kLimit;
  // Next id not in use (live_ < capacity_ guarantees one exists soon).
  for (;;) {
    uint32_t id = next_id_++;
    if (next_id_ == 0) next_id_ = 1;
    if (id == 0 || find(id)) continue;
    for (uint32_t i = 0; i < capacity_; ++i) {
      if (slots_[i].id) continue;
      slots_[i].id = id;
      slots_[i].rule = rule;
      slots_[i].rule_hash = rule_hash;
      slots_[i].ev = ev;
      ++live_;
      *out = &slots_[i];
      return Status::kOk;
    }
    return Status::kInternal;
  }
}

Session* SessionTable::find(uint32_t id) {
  if (id == 0) return nullptr;
  for (uint32_t i = 0; i < capacity_; ++i)
    if (slots_[i].id == id) return &slots_[i];
  return nullptr;
}

void SessionTable::close(Session* s) {
  s->id = 0;
  --live_;
}

}  // namespace ucon
