// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// emit.cc - section layout, tables, Ed25519 signature.
#include "emit.h"

#include <cstring>

#include "blob_format.h"
#include "crypto.h"
#include "ed25519.h"
#include "fields.h"
#include "limits.h"
#include "lower.h"

// The blob is little-endian; its structs are copied as they lie in memory.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the blob writer assumes a little-endian host");

namespace policyc {

namespace {

std::uint32_t hash(const std::string& s) {
  return ucon::fnv1a32(s.data(), s.size());
}

std::size_t align8(std::size_t n) { return (n + 7) & ~static_cast<std::size_t>(7); }

template <typename T>
void put(std::vector<std::uint8_t>* out, std::size_t off,
         const std::vector<T>& items) {
  if (!items.empty()) std::memcpy(out->data() + off, items.data(), sizeof(T) * items.size());
}

struct Tables {
  std::vector<ucon::BlobRule> rules;
  std::vector<ucon::BlobAttr> attrs;
  std::vector<ucon::BlobUpdate> updates;
};

ucon::BlobUpdate blob_update(const Update& u) {
  ucon::BlobUpdate b{};
  b.attr = u.attr;
  b.op = u.op;
  b.value_kind = u.value_kind;
  b.value = u.value;
  return b;
}

// Fills the tables in a fixed order (attributes, then rules with their
// expressions and updates) so the pool layout is deterministic.
Tables build(const Policy& p, Pool* pool, ExprLowerer* lower) {
  Tables t;
  for (const AttrDecl& a : p.attrs) {
    ucon::BlobAttr b{};
    b.scope = a.scope;
    b.type = a.type;
    b.key = a.key;
    b.writer = a.writer;
    b.key_field = a.key_field;
    b.initial = a.initial;
    b.max_entries = a.max_entries;
    b.name_hash = hash(a.name);
    b.name_off = pool->bytes(a.name);
    b.name_len = static_cast<std::uint32_t>(a.name.size());
    t.attrs.push_back(b);
  }
  for (const Rule& r : p.rules) {
    ucon::BlobRule b{};
    b.id = r.id;
    b.name_hash = hash(r.name);
    b.hook = r.hook;
    b.effect = r.effect;
    b.flags = r.flags;
    b.target = r.target ? lower->lower(*r.target) : ucon::kNone;
    b.condition = r.condition ? lower->lower(*r.condition) : ucon::kNone;
    b.ongoing = r.ongoing ? lower->lower(*r.ongoing) : ucon::kNone;
    b.obligations = r.obligations;
    b.notify_code = r.notify_code;
    b.pre_first = static_cast<std::uint32_t>(t.updates.size());
    b.pre_count = static_cast<std::uint32_t>(r.pre.size());
    for (const Update& u : r.pre) t.updates.push_back(blob_update(u));
    b.post_first = static_cast<std::uint32_t>(t.updates.size());
    b.post_count = static_cast<std::uint32_t>(r.post.size());
    for (const Update& u : r.post) t.updates.push_back(blob_update(u));
    b.name_off = pool->bytes(r.name);
    b.name_len = static_cast<std::uint32_t>(r.name.size());
    t.rules.push_back(b);
  }
  return t;
}

}  // namespace

bool emit_blob(const Policy& p, const DeviceId& device, const KeyPair& key,
               std::vector<std::uint8_t>* out, std::string* err) {
  Pool pool;
  ExprLowerer lower(&pool);
  std::uint32_t name_off = pool.bytes(p.name);
  Tables t = build(p, &pool, &lower);

  ucon::BlobHeader h{};
  h.magic = ucon::kBlobMagic;
  h.format_version = ucon::kBlobFormatVersion;
  h.header_size = sizeof(ucon::BlobHeader);
  h.policy_version = p.version;
  h.flags = p.flags;
  h.name_off = name_off;
  h.name_len = static_cast<std::uint32_t>(p.name.size());
  if (!(p.flags & ucon::kPolicyAnyDevice)) {
    std::memcpy(h.device_id, device.data(), sizeof(h.device_id));
  }

  // Every section starts 8-byte aligned right after the previous one.
  std::size_t off = align8(sizeof(ucon::BlobHeader));
  auto section = [&off](std::size_t n, std::size_t elem, std::uint32_t* count,
                        std::uint32_t* offset) {
    *count = static_cast<std::uint32_t>(n);
    *offset = static_cast<std::uint32_t>(off);
    std::size_t at = off;
    off = align8(off + n * elem);
    return at;
  };
  std::size_t rules_at = section(t.rules.size(), sizeof(ucon::BlobRule),
                                 &h.n_rules, &h.rules_off);
  std::size_t nodes_at = section(lower.nodes().size(), sizeof(ucon::BlobNode),
                                 &h.n_nodes, &h.nodes_off);
  std::size_t kids_at = section(lower.kids().size(), sizeof(std::uint32_t),
                                &h.n_kids, &h.kids_off);
  std::size_t attrs_at = section(t.attrs.size(), sizeof(ucon::BlobAttr),
                                 &h.n_attrs, &h.attrs_off);
  std::size_t updates_at = section(t.updates.size(), sizeof(ucon::BlobUpdate),
                                   &h.n_updates, &h.updates_off);
  std::size_t pool_at = section(pool.data().size(), 1, &h.pool_size, &h.pool_off);
  std::size_t total = off + ucon::kBlobSigLen;
  if (total > ucon::kMaxBlobBytes) {
    *err = "compiled policy is " + std::to_string(total) +
           " bytes, above the limit of " + std::to_string(ucon::kMaxBlobBytes);
    return false;
  }
  h.total_size = static_cast<std::uint32_t>(total);

  out->assign(total, 0);
  std::memcpy(out->data(), &h, sizeof(h));
  put(out, rules_at, t.rules);
  put(out, nodes_at, lower.nodes());
  put(out, kids_at, lower.kids());
  put(out, attrs_at, t.attrs);
  put(out, updates_at, t.updates);
  put(out, pool_at, pool.data());
  ucon::ed25519_sign(key.seed.data(), key.pub.data(), out->data(),
                     total - ucon::kBlobSigLen,
                     out->data() + total - ucon::kBlobSigLen);
  return true;
}

}  // namespace policyc
