// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// policy_index.cc - per-hook rule lists and the hash index on each hook's
// most selective field, so a decision touches only rules that can match.
#include <string.h>

#include "fields.h"
#include "policy.h"

namespace ucon {
namespace {

struct KeyRule {
  uint64_t key;
  uint32_t rule;
  uint32_t pad;
};

bool key_less(const KeyRule& a, const KeyRule& b) {
  return a.key != b.key ? a.key < b.key : a.rule < b.rule;
}

// Heapsort: O(n log n), no recursion, no extra memory.
void sift_down(KeyRule* v, size_t start, size_t end) {
  size_t root = start;
  while (2 * root + 1 < end) {
    size_t child = 2 * root + 1;
    if (child + 1 < end && key_less(v[child], v[child + 1])) ++child;
    if (!key_less(v[root], v[child])) return;
    KeyRule t = v[root];
    v[root] = v[child];
    v[child] = t;
    root = child;
  }
}

void heap_sort(KeyRule* v, size_t n) {
  for (size_t i = n / 2; i-- > 0;) sift_down(v, i, n);
  for (size_t end = n; end > 1; --end) {
    KeyRule t = v[0];
    v[0] = v[end - 1];
    v[end - 1] = t;
    sift_down(v, 0, end - 1);
  }
}

uint64_t bytes_key(const uint8_t* p, uint32_t len) { return fnv1a64(p, len); }

uint64_t mix(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdull;
  k ^= k >> 33;
  return k;
}

// The node pinning a field to constants: `field == c` or `field in {..}`.
bool pins_field(const BlobNode& n) {
  return n.lhs_kind == kOperandField &&
         ((n.op == kOpEq &&
           (n.rhs_kind == kOperandInt || n.rhs_kind == kOperandBytes)) ||
          (n.op == kOpIn && n.rhs_kind == kOperandSet));
}

}  // namespace

uint64_t Policy::index_key(const tzu_event& ev, uint32_t field) {
  const FieldInfo* f = field_by_id(field);
  if (f->kind == FieldKind::kInt) return static_cast<uint64_t>(field_int(ev, *f));
  uint32_t len;
  const uint8_t* p = field_bytes(ev, *f, &len);
  return bytes_key(p, len);
}

const uint32_t* Policy::indexed_rules(const tzu_event& ev, uint32_t* n) const {
  *n = 0;
  const HookIndex& hi = hooks_[ev.hook];
  if (hi.field == kNone) return nullptr;
  const uint64_t key = index_key(ev, hi.field);
  for (uint32_t s = static_cast<uint32_t>(mix(key)) & hi.table_mask;;
       s = (s + 1) & hi.table_mask) {
    const HookIndex::Bucket& b = hi.table[s];
    if (!b.count) return nullptr;
    if (b.key == key) {
      *n = b.count;
      return hi.lists + b.first;
    }
  }
}

Status Policy::build_index(Arena* arena) {
  const uint32_t n = hdr_->n_rules;
  // The pinning node of each rule on field f, if any (top level or in a
  // top-level `and`).
  auto pinning = [this](const BlobRule& r, uint32_t f) -> const BlobNode* {
    if (r.target == kNone) return nullptr;
    const BlobNode& t = nodes_[r.target];
    if (pins_field(t)) return t.lhs == f ? &t : nullptr;
    if (t.op != kOpAnd) return nullptr;
    for (uint32_t k = t.a; k < t.a + t.b; ++k) {
      const BlobNode& c = nodes_[kids_[k]];
      if (pins_field(c) && c.lhs == f) return &c;
    }
    return nullptr;
  };
  auto set_count = [this](const BlobNode& nd) -> uint32_t {
    if (nd.op == kOpEq) return 1;
    uint32_t c;
    memcpy(&c, pool_ + nd.a, 4);
    return c;
  };
  auto const_key = [this](const BlobNode& nd, uint32_t i) -> uint64_t {
    if (nd.op == kOpEq) {
      if (nd.rhs_kind == kOperandInt)
        return static_cast<uint64_t>(nd.a) | (static_cast<uint64_t>(nd.b) << 32);
      return bytes_key(pool_ + nd.a, nd.b);
    }
    const uint8_t* e = pool_ + nd.a + 8 + i * 8;
    uint32_t kind;
    memcpy(&kind, pool_ + nd.a + 4, 4);
    if (kind == kOperandInt) {
      uint64_t v;
      memcpy(&v, e, 8);
      return v;
    }
    uint32_t off, len;
    memcpy(&off, e, 4);
    memcpy(&len, e + 4, 4);
    return bytes_key(pool_ + off, len);
  };

  size_t n_fields;
  field_table(&n_fields);
  for (uint32_t hook = 1; hook < TZU_HOOK_COUNT; ++hook) {
    HookIndex& hi = hooks_[hook];
    uint32_t per_field[32] = {};
    for (uint32_t i = 0; i < n; ++i) {
      if (rules_[i].hook != hook) continue;
      ++hi.n_rules;
      for (uint32_t f = 0; f < n_fields && f < 32; ++f)
        if (pinning(rules_[i], f)) ++per_field[f];
    }
    if (hi.n_rules == 0) continue;
    interest_mask_ |= 1u << hook;
    // Most selective = most distinct constants, not most pinning rules: in
    // all[object.kind == module, object.sha256 == D] both fields are pinned
    // by every rule, but only the digest spreads the rules over buckets.
    // Distinct keys are estimated with a small hashed bitmap (no memory).
    uint32_t best = kNone, best_distinct = 1, best_count = 1;
    for (uint32_t f = 0; f < n_fields && f < 32; ++f) {
      if (per_field[f] < 2) continue;  // an index needs >= 2 rules
      uint64_t seen[16] = {};          // 1024 bits
      uint32_t distinct = 0;
      for (uint32_t i = 0; i < n; ++i) {
        if (rules_[i].hook != hook) continue;
        const BlobNode* pin = pinning(rules_[i], f);
        if (!pin) continue;
        for (uint32_t m = 0, c = set_count(*pin); m < c; ++m) {
          const uint32_t bit = static_cast<uint32_t>(mix(const_key(*pin, m))) & 1023u;
          if (!(seen[bit / 64] & (1ull << (bit % 64)))) {
            seen[bit / 64] |= 1ull << (bit % 64);
            ++distinct;
          }
        }
      }
      if (distinct > best_distinct ||
          (distinct == best_distinct && per_field[f] > best_count)) {
        best = f;
        best_distinct = distinct;
        best_count = per_field[f];
      }
    }
    hi.field = best;
    // Rest list, and (key, rule) pairs for the table.
    uint32_t n_pairs = 0, n_rest = 0;
    for (uint32_t i = 0; i < n; ++i) {
      if (rules_[i].hook != hook) continue;
      const BlobNode* pin = best == kNone ? nullptr : pinning(rules_[i], best);
      if (pin) n_pairs += set_count(*pin); else ++n_rest;
    }
    uint32_t* rest = arena->alloc_array<uint32_t>(n_rest ? n_rest : 1);
    KeyRule* pairs = arena->alloc_array<KeyRule>(n_pairs ? n_pairs : 1);
    if (!rest || !pairs) return Status::kLimit;
    uint32_t p = 0;
    for (uint32_t i = 0; i < n; ++i) {
      if (rules_[i].hook != hook) continue;
      const BlobNode* pin = best == kNone ? nullptr : pinning(rules_[i], best);
      if (!pin) {
        rest[hi.n_rest++] = i;
        continue;
      }
      for (uint32_t m = 0, c = set_count(*pin); m < c; ++m)
        pairs[p++] = KeyRule{const_key(*pin, m), i, 0};
    }
    hi.rest = rest;
    if (best == kNone) continue;
    heap_sort(pairs, n_pairs);
    // Distinct keys -> buckets; duplicate (key, rule) pairs collapse.
    uint32_t n_keys = 0;
    for (uint32_t i = 0; i < n_pairs; ++i)
      if (i == 0 || pairs[i].key != pairs[i - 1].key) ++n_keys;
    uint32_t size = 1;
    while (size < 2 * n_keys) size <<= 1;
    auto* table = arena->alloc_array<HookIndex::Bucket>(size);
    uint32_t* lists = arena->alloc_array<uint32_t>(n_pairs);
    if (!table || !lists) return Status::kLimit;
    uint32_t out = 0;
    for (uint32_t i = 0; i < n_pairs;) {
      uint32_t j = i, first = out;
      while (j < n_pairs && pairs[j].key == pairs[i].key) {
        if (j == i || pairs[j].rule != pairs[j - 1].rule) lists[out++] = pairs[j].rule;
        ++j;
      }
      uint32_t slot = static_cast<uint32_t>(mix(pairs[i].key)) & (size - 1);
      while (table[slot].count) slot = (slot + 1) & (size - 1);
      table[slot] = HookIndex::Bucket{pairs[i].key, first, out - first};
      i = j;
    }
    hi.table = table;
    hi.table_mask = size - 1;
    hi.lists = lists;
  }
  note_lifecycle();
  return Status::kOk;
}

// Which lifecycle events the engine must see: a process's end when it can
// hold sessions or per-process attributes, a key's destruction when key
// sessions or key-keyed object attributes exist (they live as long as the
// key, not as the process that made it).
void Policy::note_lifecycle() {
  constexpr uint32_t kObjectId = 20;  // field "object.id" (fields.cc)
  for (uint32_t i = 0; i < hdr_->n_rules; ++i) {
    const BlobRule& r = rules_[i];
    const bool key_hook =
        r.hook == TZU_HOOK_KEY_ALLOC || r.hook == TZU_HOOK_KEY_PERMISSION;
    if (r.ongoing != kNone) has_ongoing_ = true;
    if (r.flags & kRuleSession) {
      interest_mask_ |= key_hook ? (1u << TZU_HOOK_USAGE_END) | (1u << TZU_HOOK_KEY_FREE)
                                 : (1u << TZU_HOOK_USAGE_END) | (1u << TZU_HOOK_TASK_EXIT);
    }
    if (!key_hook) continue;
    for (uint32_t u = r.pre_first; u < r.pre_first + r.pre_count; ++u)
      key_object_attrs_ |= uint64_t{1} << updates_[u].attr;
    for (uint32_t u = r.post_first; u < r.post_first + r.post_count; ++u)
      key_object_attrs_ |= uint64_t{1} << updates_[u].attr;
  }
  for (uint32_t a = 0; a < hdr_->n_attrs; ++a) {
    const BlobAttr& d = attrs_[a];
    const bool keyed_by_serial = d.scope == TZU_ATTR_SCOPE_OBJECT &&
                                 d.key == kKeyField && d.key_field == kObjectId;
    if (!keyed_by_serial) key_object_attrs_ &= ~(uint64_t{1} << a);
    if (d.scope == TZU_ATTR_SCOPE_SUBJECT && d.key == kKeyTgid) {
      interest_mask_ |= 1u << TZU_HOOK_TASK_EXIT;
      process_attrs_ |= uint64_t{1} << a;
    }
  }
  if (key_object_attrs_) interest_mask_ |= 1u << TZU_HOOK_KEY_FREE;
}

}  // namespace ucon
