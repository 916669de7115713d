// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// attributes.cc - open addressing with linear probing and backward-shift
// deletion (no tombstones, so lookups stay short under churn).
#include "attributes.h"

#include "policy.h"

namespace ucon {
namespace {

uint64_t mix(uint64_t k) {
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ull;
  k ^= k >> 33;
  return k;
}

}  // namespace

uint64_t process_key(const tzu_subject& s) {
  // A reused pid is another process: its leader started at another time.
  const uint64_t t = mix(s.start_time);
  return s.tgid | (static_cast<uint64_t>(static_cast<uint32_t>(t ^ (t >> 32))) << 32);
}

uint64_t exe_key(const tzu_subject& s) {
  // A reused inode number is another file: its generation differs.
  return mix((static_cast<uint64_t>(s.exe_dev) << 40) ^ s.exe_ino ^
             (static_cast<uint64_t>(s.exe_gen) << 20));
}

uint64_t attr_key(const BlobAttr& decl, const tzu_event& ev) {
  switch (decl.scope) {
    case TZU_ATTR_SCOPE_SUBJECT:
      return decl.key == kKeyTgid ? process_key(ev.subject) : exe_key(ev.subject);
    case TZU_ATTR_SCOPE_OBJECT:
      return Policy::index_key(ev, decl.key_field);
    default:
      return 0;
  }
}

namespace {

uint32_t table_size(uint32_t max_entries) {
  uint32_t size = 2;
  while (size < 2 * max_entries) size <<= 1;  // load factor <= 1/2
  return size;
}

size_t rounded(size_t bytes) { return (bytes + 7) & ~size_t{7}; }

}  // namespace

size_t AttributeStore::bytes(uint32_t max_entries) {
  const size_t size = table_size(max_entries);
  return rounded(size * sizeof(AttrEntry)) + 3 * rounded(size * 4) + 32;
}

Status AttributeStore::init(Arena* arena, uint32_t max_entries) {
  if (max_entries == 0 || max_entries > (1u << 24)) return Status::kLimit;
  const uint32_t size = table_size(max_entries);
  table_ = arena->alloc_array<AttrEntry>(size);
  chain_head_ = arena->alloc_array<uint32_t>(size);
  chain_next_ = arena->alloc_array<uint32_t>(size);
  chain_prev_ = arena->alloc_array<uint32_t>(size);
  if (!table_ || !chain_head_ || !chain_next_ || !chain_prev_) return Status::kLimit;
  for (uint32_t i = 0; i < size; ++i) chain_head_[i] = kNil;
  mask_ = size - 1;
  max_entries_ = max_entries;
  return Status::kOk;
}

uint32_t AttributeStore::chain_of(uint64_t key) const {
  return static_cast<uint32_t>(mix(key ^ 0x9e3779b97f4a7c15ull)) & mask_;
}

void AttributeStore::chain_link(uint32_t slot) {
  const uint32_t b = chain_of(table_[slot].key);
  chain_prev_[slot] = kNil;
  chain_next_[slot] = chain_head_[b];
  if (chain_head_[b] != kNil) chain_prev_[chain_head_[b]] = slot;
  chain_head_[b] = slot;
}

void AttributeStore::chain_unlink(uint32_t slot) {
  const uint32_t p = chain_prev_[slot], n = chain_next_[slot];
  if (p != kNil) chain_next_[p] = n; else chain_head_[chain_of(table_[slot].key)] = n;
  if (n != kNil) chain_prev_[n] = p;
}

// The entry at `from` now lives at `to` (backward shift): its neighbours on
// the key chain must point at its new slot.
void AttributeStore::chain_move(uint32_t from, uint32_t to) {
  const uint32_t p = chain_prev_[from], n = chain_next_[from];
  chain_prev_[to] = p;
  chain_next_[to] = n;
  if (p != kNil) chain_next_[p] = to; else chain_head_[chain_of(table_[to].key)] = to;
  if (n != kNil) chain_prev_[n] = to;
}

uint32_t AttributeStore::keyed(uint64_t key, uint64_t attr_mask,
                               uint32_t* name_hashes, uint32_t max) const {
  uint32_t n = 0;
  for (uint32_t s = chain_head_[chain_of(key)]; s != kNil && n < max;
       s = chain_next_[s]) {
    const AttrEntry& e = table_[s];
    if (e.key == key && e.attr < 64 && (attr_mask & (uint64_t{1} << e.attr)))
      name_hashes[n++] = e.name_hash;
  }
  return n;
}

uint32_t AttributeStore::slot_of(uint32_t name_hash, uint64_t key) const {
  return static_cast<uint32_t>(mix(key ^ (static_cast<uint64_t>(name_hash) << 17))) &
         mask_;
}

const AttrEntry* AttributeStore::find(uint32_t name_hash, uint64_t key) const {
  for (uint32_t s = slot_of(name_hash, key);; s = (s + 1) & mask_) {
    const AttrEntry& e = table_[s];
    if (!e.used) return nullptr;
    if (e.name_hash == name_hash && e.key == key) return &e;
  }
}

Status AttributeStore::get_or_create(uint32_t attr, const BlobAttr& decl,
                                     uint64_t key, AttrEntry** out) {
  uint32_t s = slot_of(decl.name_hash, key);
  for (;; s = (s + 1) & mask_) {
    AttrEntry& e = table_[s];
    if (!e.used) break;
    if (e.name_hash == decl.name_hash && e.key == key) {
      *out = &e;
      return Status::kOk;
    }
  }
  if (size_ >= max_entries_ || per_attr_[attr] >= decl.max_entries)
    return Status::kLimit;
  AttrEntry& e = table_[s];
  e = AttrEntry{};
  e.used = 1;
  e.key = key;
  e.name_hash = decl.name_hash;
  e.type = decl.type;
  e.attr = static_cast<uint8_t>(attr);
  e.value = decl.initial;
  chain_link(s);
  touched(attr);
  ++size_;
  ++per_attr_[attr];
  *out = &e;
  return Status::kOk;
}

namespace {

Status apply_op(AttrEntry* e, uint32_t op, int64_t value, bool* changed) {
  *changed = false;
  switch (op) {
    case TZU_ATTR_OP_SET:
      *changed = e->value != value;
      e->value = value;
      return Status::kOk;
    case TZU_ATTR_OP_ADD: {
      const int64_t v = saturating_add(e->value, value);
      *changed = v != e->value;
      e->value = v;
      return Status::kOk;
    }
    case TZU_ATTR_OP_INSERT:
      for (uint32_t i = 0; i < e->n_members; ++i)
        if (e->members[i] == value) return Status::kOk;
      if (e->n_members >= kMaxAttrSetMembers) return Status::kLimit;
      e->members[e->n_members++] = value;
      *changed = true;
      return Status::kOk;
    case TZU_ATTR_OP_CLEAR:
      *changed = e->value != 0 || e->n_members != 0;
      e->value = 0;
      e->n_members = 0;
      return Status::kOk;
    default:
      return Status::kBadField;
  }
}

}  // namespace

Status AttributeStore::apply(AttrEntry* e, uint32_t op, int64_t value,
                             bool* changed) {
  const Status s = apply_op(e, op, value, changed);
  if (*changed) touched(e->attr);
  return s;
}

// Every mutation ends here: the table's generation and that of each hook
// reading the attribute (all hooks for an index outside the readers table).
void AttributeStore::touched(uint32_t attr) {
  ++generation_;
  uint32_t m = (readers_ && attr < kMaxAttrs ? readers_[attr] : ~0u) & kAllHooks;
  moved_ |= m;
  for (; m; m &= m - 1) ++hook_gen_[__builtin_ctz(m)];  // a key use: one hook
}

void AttributeStore::erase_at(uint32_t slot) {
  const uint8_t a = table_[slot].attr;
  touched(a);
  --size_;
  if (a < kMaxAttrs && per_attr_[a]) --per_attr_[a];
  chain_unlink(slot);
  uint32_t hole = slot;
  for (uint32_t s = (slot + 1) & mask_; table_[s].used; s = (s + 1) & mask_) {
    uint32_t home = slot_of(table_[s].name_hash, table_[s].key);
    // Move s into the hole if its home is not in (hole, s] cyclically.
    bool between = hole <= s ? (home > hole && home <= s) : (home > hole || home <= s);
    if (!between) {
      table_[hole] = table_[s];
      chain_move(s, hole);
      hole = s;
    }
  }
  table_[hole] = AttrEntry{};
}

bool AttributeStore::erase(uint32_t name_hash, uint64_t key) {
  for (uint32_t s = slot_of(name_hash, key);; s = (s + 1) & mask_) {
    const AttrEntry& e = table_[s];
    if (!e.used) return false;
    if (e.name_hash == name_hash && e.key == key) {
      erase_at(s);
      return true;
    }
  }
}

void AttributeStore::remap(const Policy& p) {
  constexpr uint8_t kGone = 0xff;
  readers_ = nullptr;
  touched(kGone);  // every hook: indices and readers change
  for (uint32_t s = 0; s <= mask_; ++s) {
    AttrEntry& e = table_[s];
    if (!e.used) continue;
    e.attr = kGone;
    for (uint32_t a = 0; a < p.n_attrs(); ++a) {
      if (p.attr(a).name_hash == e.name_hash && p.attr(a).type == e.type) {
        e.attr = static_cast<uint8_t>(a);
        break;
      }
    }
  }
  for (uint32_t s = 0; s <= mask_;) {
    if (table_[s].used && table_[s].attr == kGone) {
      erase_at(s);  // a later entry may have shifted into s: look again
      continue;
    }
    ++s;
  }
  size_ = 0;
  for (uint32_t a = 0; a < kMaxAttrs; ++a) per_attr_[a] = 0;
  for (uint32_t s = 0; s <= mask_; ++s) {
    if (!table_[s].used) continue;
    ++size_;
    ++per_attr_[table_[s].attr];
  }
  readers_ = p.attr_readers();
}

}  // namespace ucon
