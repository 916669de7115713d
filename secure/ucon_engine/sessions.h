// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// sessions.h - live UCON usage sessions (ongoing authorizations). Each keeps
// a copy of the event that opened it, so ongoing predicates re-evaluate
// against the same subject and object as the pre-authorization did.
//
// Two intrusive hash chains per slot keep every lookup off a table scan:
// by session id (USAGE_END) and by owner (the process for ordinary sessions,
// the key serial for key sessions), so ending a process or a key costs its
// own sessions, not the table. A bitmap of live slots gives the lowest free
// slot (the same slot order as a scan) and walks live sessions in slot order.
#ifndef UCON_ENGINE_SESSIONS_H
#define UCON_ENGINE_SESSIONS_H

#include <stddef.h>
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
  // Arena bytes init() takes for `capacity` sessions (alignment included).
  static size_t bytes(uint32_t capacity);
  Status init(Arena* arena, uint32_t capacity);
  // kLimit when all slots are live.
  Status open(uint32_t rule, uint32_t rule_hash, const struct tzu_event& ev,
              Session** out);
  Session* find(uint32_t id);  // O(1): hash chain by id
  void close(Session* s);

  // Owner of a session: its key serial for key sessions (key_alloc,
  // key_permission), else its process (tgid, start time).
  static bool is_key_session(const Session& s);
  // Ids of the live sessions that `subj`'s exit ends (non-key sessions of
  // that process), or that freeing key `serial` ends, in slot order, into
  // out[0..capacity()); returns how many. Cost: the owner's hash chain.
  uint32_t of_process(const struct tzu_subject& subj, uint32_t* out) const;
  uint32_t of_key(uint32_t serial, uint32_t* out) const;
  // Scratch of capacity() slots for the callers of of_process/of_key.
  uint32_t* scratch() { return scratch_; }

  // First live slot at or after `from`, or capacity() if none.
  uint32_t next_live(uint32_t from) const;

  uint32_t live() const { return live_; }
  uint32_t capacity() const { return capacity_; }
  Session& at(uint32_t i) { return slots_[i]; }

 private:
  static constexpr uint32_t kNil = 0xffffffffu;
  uint32_t id_bucket(uint32_t id) const { return id & mask_; }
  uint32_t owner_bucket(const Session& s) const;
  uint32_t collect(uint32_t bucket, bool key, const struct tzu_subject* subj,
                   uint32_t serial, uint32_t* out) const;
  static void link(uint32_t* heads, uint32_t* next, uint32_t* prev,
                   uint32_t bucket, uint32_t slot);
  static void unlink(uint32_t* heads, uint32_t* next, uint32_t* prev,
                     uint32_t bucket, uint32_t slot);

  Session* slots_ = nullptr;
  uint64_t* used_ = nullptr;  // live-slot bitmap
  uint32_t* id_head_ = nullptr;
  uint32_t* id_next_ = nullptr;
  uint32_t* id_prev_ = nullptr;
  uint32_t* own_head_ = nullptr;
  uint32_t* own_next_ = nullptr;
  uint32_t* own_prev_ = nullptr;
  uint32_t* scratch_ = nullptr;
  uint32_t capacity_ = 0;
  uint32_t mask_ = 0;  // buckets - 1 (power of two >= 2 * capacity)
  uint32_t live_ = 0;
  uint32_t next_id_ = 1;
};

}  // namespace ucon

#endif  // UCON_ENGINE_SESSIONS_H
