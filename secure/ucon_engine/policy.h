// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// policy.h - a decoded, validated policy blob plus the per-hook rule index.
// Built once by Policy::decode(); read-only afterwards (evaluation is const).
#ifndef UCON_ENGINE_POLICY_H
#define UCON_ENGINE_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "blob_format.h"
#include "limits.h"
#include "status.h"
#include "tzucon_abi.h"

namespace ucon {

// Rules of one hook whose target bounds an int field to intervals (<, <=,
// >, >=, range, ne, and ==/in on a field the hash index does not use): a
// segment tree over the sorted interval endpoints. Leaf j is the value span
// [bounds[j], bounds[j+1]); each interval sits in O(log n) nodes, so the
// rules whose interval holds a value are the lists on one leaf-to-root path,
// each sorted by rule index.
struct RangeIndex {
  uint32_t field = kNone;
  uint32_t n_bounds = 0;
  uint32_t leaves = 0;               // power of two >= n_bounds
  const int64_t* bounds = nullptr;   // sorted, distinct
  const uint32_t* node_first = nullptr;  // 2 * leaves + 1 offsets
  const uint32_t* node_rules = nullptr;
};

// Rules of one hook whose target tests bits of an int field: bits_all m is
// listed under one bit of m (it needs them all), bits_any m under each bit
// of m (at most kMaxBitsAny); lists sorted by rule index.
struct BitIndex {
  uint32_t field = kNone;
  uint64_t nonempty = 0;             // bits with a list
  const uint32_t* bit_first = nullptr;  // 65 offsets
  const uint32_t* bit_rules = nullptr;
};

// Rules of one hook, with an optional hash index on the hook's most
// selective field: rules whose target pins that field to constants (==, in)
// are found by the event's value; of the others, those whose target bounds
// an int field or tests its bits are found through range and bit indexes,
// and the rest are always candidates.
struct HookIndex {
  uint32_t n_rules = 0;
  uint32_t field = kNone;       // indexed field id, or kNone
  const uint32_t* rest = nullptr;  // rule indices not in the table (sorted)
  uint32_t n_rest = 0;
  struct Bucket {
    uint64_t key;
    uint32_t first;  // into lists
    uint32_t count;  // 0 = empty slot
  };
  const Bucket* table = nullptr;  // open addressing, power-of-two size
  uint32_t table_mask = 0;
  const uint32_t* lists = nullptr;  // sorted rule indices per bucket
  static constexpr uint32_t kMaxRanges = 2;  // range-indexed fields per hook
  RangeIndex ranges[kMaxRanges];
  uint32_t n_ranges = 0;
  BitIndex bits;  // field == kNone: none
};

// The candidate rules of one event: the union of a few sorted lists (hash
// bucket, range-tree path, bit lists, unindexed rest), produced in rule
// order without duplicates, so combining algorithms see rules as a scan of
// the hook's rules would, minus rules that cannot match.
class Candidates {
 public:
  static constexpr uint32_t kMaxLists = 2 + HookIndex::kMaxRanges * 33 + 64;
  void add(const uint32_t* first, uint32_t n);
  // Next rule index in increasing order, or kNone when done.
  uint32_t next();

 private:
  const uint32_t* cur_[kMaxLists];
  const uint32_t* end_[kMaxLists];
  uint32_t n_ = 0;
  uint32_t last_ = kNone;
};

class Policy {
 public:
  // Validates every offset, length, index and operand of a signature-checked
  // blob that already lives in arena-owned memory, then builds the index.
  static Status decode(const uint8_t* blob, size_t len, Arena* arena,
                       Policy** out);

  const BlobHeader& header() const { return *hdr_; }
  uint32_t n_rules() const { return hdr_->n_rules; }
  const BlobRule& rule(uint32_t i) const { return rules_[i]; }
  const BlobNode& node(uint32_t i) const { return nodes_[i]; }
  uint32_t kid(uint32_t i) const { return kids_[i]; }
  uint32_t n_attrs() const { return hdr_->n_attrs; }
  const BlobAttr& attr(uint32_t i) const { return attrs_[i]; }
  const BlobUpdate& update(uint32_t i) const { return updates_[i]; }
  const uint8_t* pool() const { return pool_; }
  uint32_t pool_size() const { return hdr_->pool_size; }
  const HookIndex& hook_index(uint32_t hook) const { return hooks_[hook]; }
  uint32_t interest_mask() const { return interest_mask_; }
  bool has_ongoing() const { return has_ongoing_; }
  // Object attributes keyed by a key serial that key-hook rules update
  // (bit per attr index): dropped when the key is freed.
  uint64_t key_object_attrs() const { return key_object_attrs_; }
  // Per-process attributes (subject scope, keyed by tgid; bit per attr
  // index): dropped when the process exits.
  uint64_t process_attrs() const { return process_attrs_; }
  // Event fields (bit TZU_FIELD_* each) that any rule of `hook` reads in its
  // target or condition, directly or as the key of an attribute it reads,
  // plus TZU_FIELD_HOOK: two events of the hook equal on these fields get
  // the same verdict while the attribute table and mode stay as they are.
  uint32_t hook_fields(uint32_t hook) const {
    return hook < TZU_HOOK_COUNT ? hook_fields_[hook] : ~0u;
  }
  // Per attribute index, the hooks (bit per TZU_HOOK_*) with a rule that
  // reads the attribute in its target, condition or ongoing condition:
  // a change to an attribute can turn only these hooks' verdicts.
  const uint32_t* attr_readers() const { return attr_readers_; }
  // Leasable attributes (bit per index, Policy::note_leases): int, written
  // by the engine only, by positive constant adds only, and read only by
  // comparisons with constants or with global ints no rule writes (none
  // in an ongoing condition). lease_atoms(a, &n): those comparison nodes.
  static constexpr uint32_t kMaxLeaseAtoms = 8;
  uint64_t lease_attrs() const { return lease_attrs_; }
  // The event fields that key attribute `a`'s instances (bit TZU_FIELD_*;
  // 0 for a global): a lease's cache key must hold them all.
  uint32_t attr_key_fields(uint32_t a) const {
    return a < hdr_->n_attrs ? operand_fields(kOperandAttr, a) : ~0u;
  }
  const uint32_t* lease_atoms(uint32_t a, uint32_t* n) const {
    *n = a < kMaxAttrs ? n_lease_atoms_[a] : 0;
    return a < kMaxAttrs ? lease_atoms_[a] : nullptr;
  }
  // Whether the rule's use can leave state for the subject's process: a
  // session its exit ends, or an update of a per-process attribute.
  bool touches_process(const BlobRule& r) const;
  // SHA-256 of the whole blob (signature included), set by the engine.
  const uint8_t* digest() const { return digest_; }
  void set_digest(const uint8_t d[32]);

  // Attribute index by name (as in the pool), or kNone.
  uint32_t find_attr(const char* name, size_t len) const;
  // Rule index by name hash, or kNone (used to remap sessions on swap).
  uint32_t find_rule_by_hash(uint32_t name_hash) const;

  // Rules of ev.hook that the hook's index selects for this event (sorted
  // rule indices; *n = 0 when the hook has no index or no bucket matches).
  // The hook's unindexed rules are hook_index(ev.hook).rest.
  const uint32_t* indexed_rules(const struct tzu_event& ev, uint32_t* n) const;

  // Every candidate rule of the event (ev.hook must be valid).
  void candidates(const struct tzu_event& ev, Candidates* out) const;

  // Key of the event under a hash index on field `field`.
  static uint64_t index_key(const struct tzu_event& ev, uint32_t field);

 private:
  Status validate(Arena* arena) const;
  Status build_index(Arena* arena);
  Status build_value_indexes(uint32_t hook, uint32_t* rest, Arena* arena,
                             size_t* budget);
  bool build_range(uint32_t field, const uint32_t* rules, const uint32_t* nodes,
                   uint32_t n, Arena* arena, size_t* budget, RangeIndex* out);
  bool build_bits(uint32_t field, const uint32_t* rules, const uint32_t* nodes,
                  uint32_t n, Arena* arena, size_t* budget, BitIndex* out);
  void note_lifecycle();
  Status note_fields(Arena* arena);
  void note_leases(const uint64_t* node_attrs);
  uint32_t operand_fields(uint8_t kind, uint32_t id) const;

  const BlobHeader* hdr_ = nullptr;
  const BlobRule* rules_ = nullptr;
  const BlobNode* nodes_ = nullptr;
  const uint32_t* kids_ = nullptr;
  const BlobAttr* attrs_ = nullptr;
  const BlobUpdate* updates_ = nullptr;
  const uint8_t* pool_ = nullptr;
  size_t len_ = 0;
  HookIndex hooks_[TZU_HOOK_COUNT];
  uint32_t interest_mask_ = 0;
  bool has_ongoing_ = false;
  uint64_t key_object_attrs_ = 0;
  uint64_t process_attrs_ = 0;
  uint32_t hook_fields_[TZU_HOOK_COUNT] = {};
  uint32_t attr_readers_[kMaxAttrs] = {};
  uint64_t lease_attrs_ = 0;
  uint8_t n_lease_atoms_[kMaxAttrs] = {};
  uint32_t lease_atoms_[kMaxAttrs][kMaxLeaseAtoms] = {};
  uint8_t digest_[32] = {};
};

}  // namespace ucon

#endif  // UCON_ENGINE_POLICY_H
