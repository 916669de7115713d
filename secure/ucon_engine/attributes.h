// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// attributes.h - mutable UCON attributes: a fixed-capacity hash table of
// (attribute name hash, key) -> int or small set. Values are keyed by name
// hash so they survive a policy swap that keeps the attribute.
#ifndef UCON_ENGINE_ATTRIBUTES_H
#define UCON_ENGINE_ATTRIBUTES_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "blob_format.h"
#include "limits.h"
#include "status.h"
#include "tzucon_abi.h"

namespace ucon {

struct AttrEntry {
  uint64_t key;
  uint32_t name_hash;
  uint8_t used;
  uint8_t type;     // kAttrInt / kAttrSet
  uint8_t n_members;
  uint8_t attr;     // index in the active policy
  int64_t value;    // kAttrInt
  int64_t members[kMaxAttrSetMembers];  // kAttrSet, unordered
};

// Besides the table, every entry sits on an index-linked chain of the
// entries with the same key (any attribute), so the state of one process or
// one key is found without a scan: a process exit costs its own entries.
class AttributeStore {
 public:
  // Arena bytes init() takes for max_entries (alignment included).
  static size_t bytes(uint32_t max_entries);
  Status init(Arena* arena, uint32_t max_entries);

  const AttrEntry* find(uint32_t name_hash, uint64_t key) const;
  // The same entry, writable. Its value may change here without moving a
  // generation only where no rule can observe the change (the engine's
  // use-lease charges and refunds, engine.h step 10); any other change goes
  // through apply().
  AttrEntry* find_mut(uint32_t name_hash, uint64_t key) {
    return const_cast<AttrEntry*>(find(name_hash, key));
  }
  // Finds or inserts (value = initial, empty set). kLimit when the table or
  // the attribute's own max_entries is full.
  Status get_or_create(uint32_t attr, const BlobAttr& decl, uint64_t key,
                       AttrEntry** out);
  // Applies TZU_ATTR_OP_* with value to an entry of this store; kLimit if
  // a set is full. *changed tells whether the stored value actually changed.
  Status apply(AttrEntry* e, uint32_t op, int64_t value, bool* changed);

  // Drops one instance (process exit, key freed): O(1), no table scan.
  bool erase(uint32_t name_hash, uint64_t key);
  // Name hashes of the entries with this key whose attribute index is in
  // attr_mask (bit per index), at most `max`; returns how many. Costs the
  // entries sharing the key's chain, never the table.
  uint32_t keyed(uint64_t key, uint64_t attr_mask, uint32_t* name_hashes,
                 uint32_t max) const;
  // After a policy swap: keep entries whose attribute (by name hash, same
  // type) still exists, re-index them, drop the rest.
  void remap(const class Policy& p);

  uint32_t size() const { return size_; }
  uint32_t capacity() const { return max_entries_; }
  // Moves on with every change a rule could observe: an entry created
  // (`present`, a set attribute), a value changed, an entry erased, a remap.
  // Every mutator of the table bumps it, so no caller can forget (the
  // kernel's decision cache is tagged with it, engine.h).
  uint64_t generation() const { return generation_; }
  // The same count for one hook: only changes to an attribute that some
  // rule of the hook reads (the active policy's Policy::attr_readers(),
  // taken at each remap(); every hook before the first one and on a
  // remap). A write that no rule of the hook can observe leaves its cached
  // decisions standing (the per-hook cache epoch).
  uint64_t hook_generation(uint32_t hook) const {
    return hook < TZU_HOOK_COUNT ? hook_gen_[hook] : generation_;
  }
  // Bit per TZU_HOOK_*: every hook.
  static constexpr uint32_t kAllHooks =
      TZU_HOOK_COUNT < 32 ? (1u << TZU_HOOK_COUNT) - 1 : ~0u;
  // The hooks whose generation moved since the last call (within
  // kAllHooks), cleared: what a publisher of the epochs must rewrite.
  uint32_t take_moved() {
    const uint32_t m = moved_;
    moved_ = 0;
    return m;
  }

 private:
  static constexpr uint32_t kNil = 0xffffffffu;
  uint32_t slot_of(uint32_t name_hash, uint64_t key) const;
  uint32_t chain_of(uint64_t key) const;
  void erase_at(uint32_t slot);
  void chain_link(uint32_t slot);
  void chain_unlink(uint32_t slot);
  void chain_move(uint32_t from, uint32_t to);
  void touched(uint32_t attr);

  AttrEntry* table_ = nullptr;
  uint32_t* chain_head_ = nullptr;  // per bucket of mix(key): first slot
  uint32_t* chain_next_ = nullptr;  // per table slot
  uint32_t* chain_prev_ = nullptr;
  uint32_t mask_ = 0;
  uint32_t max_entries_ = 0;
  uint32_t size_ = 0;
  uint32_t per_attr_[kMaxAttrs] = {};
  uint64_t generation_ = 0;
  uint64_t hook_gen_[TZU_HOOK_COUNT] = {};
  uint32_t moved_ = 0;  // take_moved()
  const uint32_t* readers_ = nullptr;
};

// v + delta, saturating: a counter must not wrap into a permitted range.
inline int64_t saturating_add(int64_t v, int64_t delta) {
  if (delta > 0 && v > INT64_MAX - delta) return INT64_MAX;
  if (delta < 0 && v < INT64_MIN - delta) return INT64_MIN;
  return v + delta;
}
// Whether saturating_add(v, delta) clips.
inline bool add_saturates(int64_t v, int64_t delta) {
  return (delta > 0 && v > INT64_MAX - delta) ||
         (delta < 0 && v < INT64_MIN - delta);
}

// Key of an attribute instance for this event (0 for globals).
uint64_t attr_key(const BlobAttr& decl, const struct tzu_event& ev);
// Identity of a process (tgid + leader start time) and of an executable
// (dev, inode, generation): reuse of a pid or an inode is a new identity.
uint64_t process_key(const struct tzu_subject& s);
uint64_t exe_key(const struct tzu_subject& s);

}  // namespace ucon

#endif  // UCON_ENGINE_ATTRIBUTES_H
