// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// sessions.h - live UCON usage sessions (ongoing authorizations). Each keeps
// a copy of the event that opened it, so ongoing predicates re-evaluate
// against the same subject and object as the pre-authorization did.
#ifndef UCON_ENGINE_SESSIONS_H
#define UCON_ENGINE_SESSIONS_H

#include <stdint.h>

#include "arena.h"
#include "status.h"
#include "tzucon_abi.h"

namespace ucon {

struct Session {
  uint32_t id;         // 0 = free slot
  uint32_t rule;       // index in the active policy
  uint32_t rule_hash;  // name hash, to remap across policy swaps
  uint32_t pad;
  struct tzu_event ev;
};

class SessionTable {
 public:
  Status init(Arena* arena, uint32_t capacity);
  // kLimit when all slots are live.
  Status open(uint32_t rule, uint32_t rule_hash, const struct tzu_event& ev,
              Session** out);
  Session* find(uint32_t id);
  void close(Session* s);

  uint32_t live() const { return live_; }
  uint32_t capacity() const { return capacity_; }
  Session& at(uint32_t i) { return slots_[i]; }

 private:
  Session* slots_ = nullptr;
  uint32_t capacity_ = 0;
  uint32_t live_ = 0;
  uint32_t next_id_ = 1;
};

}  // namespace ucon

#endif  // UCON_ENGINE_SESSIONS_H
