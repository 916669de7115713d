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

constexpr uint32_t kMinValueIndexed = 8;  // fewer rules: a scan is as fast
constexpr uint32_t kMaxBitsAny = 8;       // bits_any masks wider: unindexed
constexpr uint32_t kMaxIntervals = 64;    // per rule (an `in` set's points)

struct Interval {
  int64_t lo, hi;  // inclusive, lo <= hi
};

int64_t rhs_int(const BlobNode& n) {
  return static_cast<int64_t>(static_cast<uint64_t>(n.a) |
                              (static_cast<uint64_t>(n.b) << 32));
}

bool int_field_lhs(const BlobNode& n) {
  if (n.lhs_kind != kOperandField) return false;
  const FieldInfo* f = field_by_id(n.lhs);
  return f && f->kind == FieldKind::kInt;
}

// Intervals of int-field values for which comparison node n can hold, in
// out[0..max); -1 if n is not such a constraint. 0 intervals: never holds.
int intervals(const BlobNode& n, const uint8_t* pool, Interval* out) {
  if (!int_field_lhs(n)) return -1;
  if (n.rhs_kind == kOperandInt) {
    const int64_t c = rhs_int(n);
    switch (n.op) {
      case kOpEq: out[0] = {c, c}; return 1;
      case kOpLt: if (c == INT64_MIN) return 0; out[0] = {INT64_MIN, c - 1}; return 1;
      case kOpLe: out[0] = {INT64_MIN, c}; return 1;
      case kOpGt: if (c == INT64_MAX) return 0; out[0] = {c + 1, INT64_MAX}; return 1;
      case kOpGe: out[0] = {c, INT64_MAX}; return 1;
      case kOpNe: {
        int k = 0;
        if (c != INT64_MIN) out[k++] = {INT64_MIN, c - 1};
        if (c != INT64_MAX) out[k++] = {c + 1, INT64_MAX};
        return k;
      }
      default: return -1;
    }
  }
  if (n.op == kOpRange && n.rhs_kind == kOperandRange) {
    int64_t lo, hi;
    memcpy(&lo, pool + n.a, 8);
    memcpy(&hi, pool + n.a + 8, 8);
    if (lo > hi) return 0;
    out[0] = {lo, hi};
    return 1;
  }
  if (n.op == kOpIn && n.rhs_kind == kOperandSet) {
    uint32_t count, kind;
    memcpy(&count, pool + n.a, 4);
    memcpy(&kind, pool + n.a + 4, 4);
    if (kind != kOperandInt || count > kMaxIntervals) return -1;
    for (uint32_t i = 0; i < count; ++i) {
      int64_t v;
      memcpy(&v, pool + n.a + 8 + 8 * i, 8);
      out[i] = {v, v};
    }
    return static_cast<int>(count);
  }
  return -1;
}

// Sorts a rule's intervals by lo and merges overlapping or adjacent ones,
// so its intervals are disjoint (a rule then sits at most once on a path).
uint32_t normalise(Interval* v, uint32_t n) {
  for (uint32_t i = 1; i < n; ++i) {
    const Interval x = v[i];
    uint32_t j = i;
    for (; j > 0 && v[j - 1].lo > x.lo; --j) v[j] = v[j - 1];
    v[j] = x;
  }
  uint32_t out = 0;
  for (uint32_t i = 0; i < n; ++i) {
    if (out && (v[out - 1].hi == INT64_MAX || v[i].lo <= v[out - 1].hi + 1)) {
      if (v[i].hi > v[out - 1].hi) v[out - 1].hi = v[i].hi;
    } else {
      v[out++] = v[i];
    }
  }
  return out;
}

// Bits under which a bit-test node is listed (mask of list bits), or false
// if n is no indexable bit test. bits_all 0 always holds: not indexable.
bool bit_lists(const BlobNode& n, uint64_t* lists) {
  if (!int_field_lhs(n) || n.rhs_kind != kOperandInt) return false;
  const uint64_t m = static_cast<uint64_t>(rhs_int(n));
  if (n.op == kOpBitsAll) {
    if (!m) return false;
    *lists = m & (~m + 1);  // lowest bit: bits_all needs every bit of m
    return true;
  }
  if (n.op == kOpBitsAny) {
    if (__builtin_popcountll(m) > static_cast<int>(kMaxBitsAny)) return false;
    *lists = m;  // bits_any 0 never holds: listed nowhere
    return true;
  }
  return false;
}

// Order key of an int64 as a uint64 (signed order).
uint64_t ordered(int64_t v) { return static_cast<uint64_t>(v) ^ (1ull << 63); }

// Index of v in sorted distinct bounds (v must be present).
uint32_t bound_index(const int64_t* b, uint32_t n, int64_t v) {
  uint32_t lo = 0, hi = n;
  while (lo < hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    if (b[mid] < v) lo = mid + 1; else hi = mid;
  }
  return lo;
}

// Segment-tree nodes covering leaves [s, e) (standard bottom-up split).
template <typename F>
void for_cover(uint32_t leaves, uint32_t s, uint32_t e, F&& f) {
  for (uint32_t l = s + leaves, r = e + leaves; l < r; l >>= 1, r >>= 1) {
    if (l & 1) f(l++);
    if (r & 1) f(--r);
  }
}

}  // namespace

void Candidates::add(const uint32_t* first, uint32_t n) {
  if (!n || n_ >= kMaxLists) return;
  cur_[n_] = first;
  end_[n_] = first + n;
  ++n_;
}

uint32_t Candidates::next() {
  for (;;) {
    uint32_t best = kNone, at = 0;
    for (uint32_t i = 0; i < n_; ++i) {
      if (*cur_[i] < best) {
        best = *cur_[i];
        at = i;
      }
    }
    if (best == kNone) return kNone;
    if (++cur_[at] == end_[at]) {  // drop an exhausted list
      --n_;
      cur_[at] = cur_[n_];
      end_[at] = end_[n_];
    }
    if (best != last_) return last_ = best;
  }
}

void Policy::candidates(const tzu_event& ev, Candidates* out) const {
  const HookIndex& hi = hooks_[ev.hook];
  out->add(hi.rest, hi.n_rest);
  uint32_t n = 0;
  const uint32_t* list = indexed_rules(ev, &n);
  out->add(list, n);
  for (uint32_t r = 0; r < hi.n_ranges; ++r) {
    const RangeIndex& ri = hi.ranges[r];
    const int64_t v = field_int(ev, *field_by_id(ri.field));
    if (v < ri.bounds[0]) continue;  // below every interval
    uint32_t j = bound_index(ri.bounds, ri.n_bounds, v);
    if (j == ri.n_bounds || ri.bounds[j] != v) --j;  // leaf holding v
    for (uint32_t x = ri.leaves + j; x >= 1; x >>= 1)
      out->add(ri.node_rules + ri.node_first[x],
               ri.node_first[x + 1] - ri.node_first[x]);
  }
  if (hi.bits.field != kNone) {
    const BitIndex& bi = hi.bits;
    uint64_t m = static_cast<uint64_t>(field_int(ev, *field_by_id(bi.field))) &
                 bi.nonempty;
    for (; m; m &= m - 1) {
      const uint32_t b = static_cast<uint32_t>(__builtin_ctzll(m));
      out->add(bi.bit_rules + bi.bit_first[b], bi.bit_first[b + 1] - bi.bit_first[b]);
    }
  }
}

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
  uint32_t* rests[TZU_HOOK_COUNT] = {};
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
    rests[hook] = rest;
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
  // Range and bit indexes for what the hash indexes left, out of the arena
  // they left: at most the blob's size, so a policy that fits without them
  // still fits (an index that does not fit is not built; its rules stay in
  // the rest and are scanned).
  const size_t left = arena->size() - arena->used();
  size_t budget = len_ < left / 2 ? len_ : left / 2;
  for (uint32_t hook = 1; hook < TZU_HOOK_COUNT; ++hook) {
    if (!rests[hook]) continue;
    Status st = build_value_indexes(hook, rests[hook], arena, &budget);
    if (st != Status::kOk) return st;
  }
  note_lifecycle();
  return note_fields(arena);
}

// Chooses, for the hook's unhashed rules, up to kMaxRanges int fields to
// index by interval and one by bit, assigns each rule to at most one index
// through one top-level conjunct of its target (a necessary condition of a
// match: the index may only drop rules that cannot match), builds them and
// leaves the others, in order, in the rest.
Status Policy::build_value_indexes(uint32_t hook, uint32_t* rest, Arena* arena,
                                   size_t* budget) {
  HookIndex& hi = hooks_[hook];
  const uint32_t n = hi.n_rest;
  if (n < kMinValueIndexed) return Status::kOk;
  // Top-level conjuncts of a rule's target: the node, or an `and`'s kids.
  auto conjuncts = [this](const BlobRule& r, uint32_t* first, uint32_t* count,
                          bool* single) -> bool {
    if (r.target == kNone) return false;
    const BlobNode& t = nodes_[r.target];
    *single = t.op != kOpAnd;
    *first = *single ? r.target : t.a;
    *count = *single ? 1 : t.b;
    return true;
  };
  auto conjunct = [this](uint32_t first, uint32_t k, bool single) -> uint32_t {
    return single ? first : kids_[first + k];
  };
  uint32_t range_count[32] = {}, bit_count[32] = {};
  Interval iv[kMaxIntervals];
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t first, count;
    bool single;
    if (!conjuncts(rules_[rest[i]], &first, &count, &single)) continue;
    uint32_t seen_r = 0, seen_b = 0;
    for (uint32_t k = 0; k < count; ++k) {
      const BlobNode& c = nodes_[conjunct(first, k, single)];
      uint64_t bits;
      if (c.lhs_kind != kOperandField || c.lhs >= 32) continue;
      if (intervals(c, pool_, iv) >= 0) seen_r |= 1u << c.lhs;
      else if (bit_lists(c, &bits)) seen_b |= 1u << c.lhs;
    }
    for (uint32_t f = 0; f < 32; ++f) {
      range_count[f] += (seen_r >> f) & 1;
      bit_count[f] += (seen_b >> f) & 1;
    }
  }
  uint32_t range_field[HookIndex::kMaxRanges], n_range = 0, bit_field = kNone;
  for (uint32_t slot = 0; slot < HookIndex::kMaxRanges; ++slot) {
    uint32_t best = kNone, best_count = kMinValueIndexed - 1;
    for (uint32_t f = 0; f < 32; ++f) {
      bool taken = false;
      for (uint32_t j = 0; j < n_range; ++j) taken = taken || range_field[j] == f;
      if (!taken && range_count[f] > best_count) {
        best = f;
        best_count = range_count[f];
      }
    }
    if (best != kNone) range_field[n_range++] = best;
  }
  for (uint32_t f = 0, best_count = kMinValueIndexed - 1; f < 32; ++f) {
    if (bit_count[f] > best_count) {
      bit_field = f;
      best_count = bit_count[f];
    }
  }
  if (!n_range && bit_field == kNone) return Status::kOk;
  // Each rule's index (0 rest, 1 + r range r, kBits) and conjunct node.
  constexpr uint8_t kRest = 0, kBits = 0xff;
  uint8_t* which = arena->alloc_array<uint8_t>(n);
  uint32_t* node_of = arena->alloc_array<uint32_t>(n);
  uint32_t* rules = arena->alloc_array<uint32_t>(n);
  uint32_t* nodes = arena->alloc_array<uint32_t>(n);
  if (!which || !node_of || !rules || !nodes) return Status::kLimit;
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t first, count;
    bool single;
    if (!conjuncts(rules_[rest[i]], &first, &count, &single)) continue;
    uint32_t best_rank = 3;  // 0: interval, 1: bits, 2: ne (barely selects)
    for (uint32_t k = 0; k < count; ++k) {
      const uint32_t node = conjunct(first, k, single);
      const BlobNode& c = nodes_[node];
      uint64_t bits;
      uint32_t rank = 3;
      uint8_t idx = kRest;
      for (uint32_t r = 0; r < n_range; ++r) {
        if (c.lhs_kind == kOperandField && c.lhs == range_field[r] &&
            intervals(c, pool_, iv) >= 0) {
          rank = c.op == kOpNe ? 2 : 0;
          idx = static_cast<uint8_t>(1 + r);
        }
      }
      if (idx == kRest && c.lhs_kind == kOperandField && c.lhs == bit_field &&
          bit_lists(c, &bits)) {
        rank = 1;
        idx = kBits;
      }
      if (rank < best_rank) {
        best_rank = rank;
        which[i] = idx;
        node_of[i] = node;
      }
    }
  }
  for (uint32_t r = 0; r < n_range; ++r) {
    uint32_t m = 0;
    for (uint32_t i = 0; i < n; ++i) {
      if (which[i] != 1 + r) continue;
      rules[m] = rest[i];
      nodes[m++] = node_of[i];
    }
    RangeIndex& ri = hi.ranges[hi.n_ranges];
    if (m >= kMinValueIndexed &&
        build_range(range_field[r], rules, nodes, m, arena, budget, &ri)) {
      ++hi.n_ranges;
      continue;
    }
    ri = RangeIndex{};
    for (uint32_t i = 0; i < n; ++i)
      if (which[i] == 1 + r) which[i] = kRest;  // not built: scanned
  }
  if (bit_field != kNone) {
    uint32_t m = 0;
    for (uint32_t i = 0; i < n; ++i) {
      if (which[i] != kBits) continue;
      rules[m] = rest[i];
      nodes[m++] = node_of[i];
    }
    if (!(m >= kMinValueIndexed &&
          build_bits(bit_field, rules, nodes, m, arena, budget, &hi.bits))) {
      hi.bits = BitIndex{};
      for (uint32_t i = 0; i < n; ++i)
        if (which[i] == kBits) which[i] = kRest;
    }
  }
  uint32_t kept = 0;
  for (uint32_t i = 0; i < n; ++i)
    if (which[i] == kRest) rest[kept++] = rest[i];
  hi.n_rest = kept;
  return Status::kOk;
}

// A segment tree over the distinct interval starts (lo and hi + 1) of the
// rules' conjuncts; false if it does not fit the budget.
bool Policy::build_range(uint32_t field, const uint32_t* rules,
                         const uint32_t* nodes, uint32_t n, Arena* arena,
                         size_t* budget, RangeIndex* out) {
  Interval iv[kMaxIntervals];
  size_t n_iv = 0;
  for (uint32_t i = 0; i < n; ++i)
    n_iv += normalise(iv, static_cast<uint32_t>(intervals(nodes_[nodes[i]], pool_, iv)));
  const size_t n_keys = 2 * n_iv + 1;
  auto take = [budget](size_t bytes) {
    if (bytes > *budget) return false;
    *budget -= bytes;
    return true;
  };
  if (!take(n_keys * (sizeof(KeyRule) + sizeof(int64_t)))) return false;
  KeyRule* keys = arena->alloc_array<KeyRule>(n_keys);
  int64_t* bounds = arena->alloc_array<int64_t>(n_keys);
  if (!keys || !bounds) return false;
  size_t k = 0;
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t c =
        normalise(iv, static_cast<uint32_t>(intervals(nodes_[nodes[i]], pool_, iv)));
    for (uint32_t j = 0; j < c; ++j) {
      keys[k++] = KeyRule{ordered(iv[j].lo), 0, 0};
      if (iv[j].hi != INT64_MAX) keys[k++] = KeyRule{ordered(iv[j].hi + 1), 0, 0};
    }
  }
  heap_sort(keys, k);
  uint32_t nb = 0;
  for (size_t i = 0; i < k; ++i)
    if (i == 0 || keys[i].key != keys[i - 1].key)
      bounds[nb++] = static_cast<int64_t>(keys[i].key ^ (1ull << 63));
  if (nb == 0) bounds[nb++] = INT64_MAX;  // only empty intervals: no leaf used
  uint32_t leaves = 1;
  while (leaves < nb) leaves <<= 1;
  if (!take((2 * size_t{leaves} + 1) * 4)) return false;
  uint32_t* first = arena->alloc_array<uint32_t>(2 * size_t{leaves} + 1);
  if (!first) return false;
  // Counts per node, inclusive prefix sums, then a reverse fill leaves each
  // node's list sorted by rule and first[x] at its start.
  auto each_node = [&](uint32_t i, auto&& f) {
    const uint32_t c =
        normalise(iv, static_cast<uint32_t>(intervals(nodes_[nodes[i]], pool_, iv)));
    for (uint32_t j = 0; j < c; ++j) {
      const uint32_t s = bound_index(bounds, nb, iv[j].lo);
      const uint32_t e =
          iv[j].hi == INT64_MAX ? nb : bound_index(bounds, nb, iv[j].hi + 1);
      for_cover(leaves, s, e, f);
    }
  };
  for (uint32_t i = 0; i < n; ++i) each_node(i, [first](uint32_t x) { ++first[x]; });
  for (uint32_t x = 1; x <= 2 * leaves; ++x) first[x] += first[x - 1];
  const uint32_t total = first[2 * leaves];
  if (!take(size_t{total} * 4 + 8)) return false;
  uint32_t* list = arena->alloc_array<uint32_t>(total ? total : 1);
  if (!list) return false;
  for (uint32_t i = n; i-- > 0;)
    each_node(i, [first, list, &rules, i](uint32_t x) { list[--first[x]] = rules[i]; });
  // first[x] is now the start of node x; first[2 * leaves] stayed the total.
  out->field = field;
  out->n_bounds = nb;
  out->leaves = leaves;
  out->bounds = bounds;
  out->node_first = first;
  out->node_rules = list;
  return true;
}

bool Policy::build_bits(uint32_t field, const uint32_t* rules,
                        const uint32_t* nodes, uint32_t n, Arena* arena,
                        size_t* budget, BitIndex* out) {
  uint32_t* first = arena->alloc_array<uint32_t>(65);
  if (!first) return false;
  for (uint32_t i = 0; i < n; ++i) {
    uint64_t m = 0;
    bit_lists(nodes_[nodes[i]], &m);
    for (; m; m &= m - 1) ++first[__builtin_ctzll(m)];
  }
  for (uint32_t b = 1; b <= 64; ++b) first[b] += first[b - 1];
  const uint32_t total = first[64];
  if (size_t{total} * 4 + 8 + 65 * 4 > *budget) return false;
  *budget -= size_t{total} * 4 + 8 + 65 * 4;
  uint32_t* list = arena->alloc_array<uint32_t>(total ? total : 1);
  if (!list) return false;
  for (uint32_t i = n; i-- > 0;) {
    uint64_t m = 0;
    bit_lists(nodes_[nodes[i]], &m);
    for (; m; m &= m - 1) list[--first[__builtin_ctzll(m)]] = rules[i];
  }
  out->field = field;  // first[b] is bit b's start, first[64] the total
  out->bit_first = first;
  out->bit_rules = list;
  out->nonempty = 0;
  for (uint32_t b = 0; b < 64; ++b)
    if (first[b + 1] > first[b]) out->nonempty |= uint64_t{1} << b;
  return true;
}

// Which lifecycle events the engine must see: a process's end when it can
// hold sessions or per-process attributes, a key's destruction when key
// sessions or key-keyed object attributes exist (they live as long as the
// key, not as the process that made it).
void Policy::note_lifecycle() {
  constexpr uint32_t kObjectId = TZU_FIELD_ID;
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

bool Policy::touches_process(const BlobRule& r) const {
  const bool key_hook =
      r.hook == TZU_HOOK_KEY_ALLOC || r.hook == TZU_HOOK_KEY_PERMISSION;
  // Key sessions end with the key, not with the process (end_task).
  if ((r.flags & kRuleSession) && !key_hook) return true;
  for (uint32_t u = r.pre_first; u < r.pre_first + r.pre_count; ++u)
    if (process_attrs_ & (uint64_t{1} << updates_[u].attr)) return true;
  for (uint32_t u = r.post_first; u < r.post_first + r.post_count; ++u)
    if (process_attrs_ & (uint64_t{1} << updates_[u].attr)) return true;
  return false;
}

// Fields an operand reads: a field itself, or the fields that key an
// attribute instance (attr_key()); a global attribute reads none.
uint32_t Policy::operand_fields(uint8_t kind, uint32_t id) const {
  if (kind == kOperandField) return id < 32 ? 1u << id : ~0u;
  if (kind != kOperandAttr) return 0;
  const BlobAttr& d = attrs_[id];
  if (d.scope == TZU_ATTR_SCOPE_SUBJECT)
    return d.key == kKeyTgid
               ? (1u << TZU_FIELD_TGID) | (1u << TZU_FIELD_START_TIME)
               : (1u << TZU_FIELD_EXE_DEV) | (1u << TZU_FIELD_EXE_INO) |
                     (1u << TZU_FIELD_EXE_GEN);
  if (d.scope == TZU_ATTR_SCOPE_OBJECT)
    return d.key_field < 32 ? 1u << d.key_field : ~0u;
  return 0;
}

// Per hook, the fields its rules read (hook_fields()), and per attribute
// the hooks whose rules read it (attr_readers()). Nodes are in post-order
// (children before parents), so one pass computes each node's fields and
// attributes from its own operands and its children's.
Status Policy::note_fields(Arena* arena) {
  const uint32_t n = hdr_->n_nodes;
  uint32_t* nf = arena->alloc_array<uint32_t>(n ? n : 1);
  uint64_t* na = arena->alloc_array<uint64_t>(n ? n : 1);
  if (!nf || !na) return Status::kLimit;
  auto attr_bit = [](uint8_t kind, uint32_t id) -> uint64_t {
    return kind == kOperandAttr && id < kMaxAttrs ? 1ull << id : 0;
  };
  for (uint32_t i = 0; i < n; ++i) {
    const BlobNode& nd = nodes_[i];
    uint32_t f = 0;
    uint64_t a = 0;
    if (nd.op == kOpAnd || nd.op == kOpOr) {
      for (uint32_t k = nd.a; k < nd.a + nd.b; ++k) {
        f |= nf[kids_[k]];
        a |= na[kids_[k]];
      }
    } else if (nd.op == kOpNot) {
      f = nf[nd.a];
      a = na[nd.a];
    } else if (nd.op != kOpTrue && nd.op != kOpFalse) {
      f = operand_fields(nd.lhs_kind, nd.lhs);
      a = attr_bit(nd.lhs_kind, nd.lhs);
      if (nd.rhs_kind == kOperandField || nd.rhs_kind == kOperandAttr) {
        f |= operand_fields(nd.rhs_kind, nd.a);
        a |= attr_bit(nd.rhs_kind, nd.a);
      }
    }
    nf[i] = f;
    na[i] = a;
  }
  for (uint32_t h = 0; h < TZU_HOOK_COUNT; ++h)
    hook_fields_[h] = 1u << TZU_FIELD_HOOK;
  for (uint32_t i = 0; i < kMaxAttrs; ++i) attr_readers_[i] = 0;
  for (uint32_t i = 0; i < hdr_->n_rules; ++i) {
    const BlobRule& r = rules_[i];
    uint32_t f = 0;
    uint64_t a = 0;
    const uint32_t read[3] = {r.target, r.condition, r.ongoing};
    for (uint32_t k = 0; k < 3; ++k) {
      if (read[k] == kNone) continue;
      a |= na[read[k]];
      if (k < 2) f |= nf[read[k]];  // ongoing: revocation, not the verdict
    }
    hook_fields_[r.hook] |= f;
    for (uint32_t k = 0; k < kMaxAttrs; ++k)
      if (a & (1ull << k)) attr_readers_[k] |= 1u << r.hook;
  }
  note_leases(na);
  return Status::kOk;
}

// Use-leases (engine.h, step 10). An int attribute written only by the
// engine, only by adding positive constants, and read only by comparisons
// of it (on the left) with a constant or with a global int no rule writes,
// and never by an ongoing condition: between two values where none of
// those comparisons changes its truth, no rule of any hook can tell them
// apart. Anything else about it, or more than kMaxLeaseAtoms comparisons:
// not leasable (the engine then charges and publishes every use).
void Policy::note_leases(const uint64_t* node_attrs) {
  uint64_t ok = 0, rule_written = 0;
  for (uint32_t a = 0; a < hdr_->n_attrs && a < kMaxAttrs; ++a)
    if (attrs_[a].type == kAttrInt && attrs_[a].writer == kWriterEngine)
      ok |= 1ull << a;
  for (uint32_t u = 0; u < hdr_->n_updates; ++u) {
    const BlobUpdate& up = updates_[u];
    if (up.attr >= kMaxAttrs) continue;
    rule_written |= 1ull << up.attr;
    if (up.op != TZU_ATTR_OP_ADD || up.value_kind != kOperandInt ||
        up.value <= 0)
      ok &= ~(1ull << up.attr);
  }
  for (uint32_t i = 0; i < hdr_->n_rules; ++i)
    if (rules_[i].ongoing != kNone) ok &= ~node_attrs[rules_[i].ongoing];
  for (uint32_t a = 0; a < kMaxAttrs; ++a) n_lease_atoms_[a] = 0;
  for (uint32_t i = 0; i < hdr_->n_nodes && ok; ++i) {
    const BlobNode& nd = nodes_[i];
    if (nd.op == kOpAnd || nd.op == kOpOr || nd.op == kOpNot ||
        nd.op == kOpTrue || nd.op == kOpFalse)
      continue;
    if (nd.rhs_kind == kOperandAttr && nd.a < kMaxAttrs)
      ok &= ~(1ull << nd.a);  // on the right: not a threshold of its own
    if (nd.lhs_kind != kOperandAttr || nd.lhs >= kMaxAttrs) continue;
    const uint64_t bit = 1ull << nd.lhs;
    if (!(ok & bit)) continue;
    bool atom = false;
    switch (nd.op) {
      case kOpEq: case kOpNe: case kOpLt: case kOpLe: case kOpGt: case kOpGe:
        atom = nd.rhs_kind == kOperandInt ||
               (nd.rhs_kind == kOperandAttr && nd.a < hdr_->n_attrs &&
                attrs_[nd.a].scope == TZU_ATTR_SCOPE_GLOBAL &&
                attrs_[nd.a].type == kAttrInt &&
                !(rule_written & (1ull << nd.a)));
        break;
      case kOpRange:
        atom = nd.rhs_kind == kOperandRange;
        break;
      case kOpPresent:
        atom = true;  // creation is a change of its own (not quiet)
        break;
      default:
        break;
    }
    if (!atom || n_lease_atoms_[nd.lhs] == kMaxLeaseAtoms) {
      ok &= ~bit;
      continue;
    }
    lease_atoms_[nd.lhs][n_lease_atoms_[nd.lhs]++] = i;
  }
  lease_attrs_ = ok;
}

}  // namespace ucon
