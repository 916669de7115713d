// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// policy.cc - blob decoder: trusts nothing in the blob. Every section, index
// and operand is range-checked here once, so evaluation needs no checks.
#include "policy.h"

#include <string.h>

#include <new>

#include "fields.h"
#include "limits.h"

namespace ucon {
namespace {

// [off, off + n * elem) lies inside the body (before the signature), 8-aligned.
bool section_ok(uint32_t off, uint32_t n, size_t elem, size_t body) {
  if (off % 8 != 0 || off < sizeof(BlobHeader)) return false;
  uint64_t end = static_cast<uint64_t>(off) + static_cast<uint64_t>(n) * elem;
  return end <= body;
}

bool range_ok(uint32_t off, uint32_t len, uint32_t size) {
  return static_cast<uint64_t>(off) + len <= size;
}

bool is_int_field(uint32_t id) {
  const FieldInfo* f = field_by_id(id);
  return f && f->kind == FieldKind::kInt;
}

// Kinds an operand can have at evaluation time.
enum class VKind { kInvalid, kInt, kBytes, kSet };

}  // namespace

Status Policy::decode(const uint8_t* blob, size_t len, Arena* arena,
                      Policy** out) {
  *out = nullptr;
  if (len < sizeof(BlobHeader) + kBlobSigLen || len > kMaxBlobBytes)
    return Status::kBadSize;
  if (reinterpret_cast<uintptr_t>(blob) % 8 != 0) return Status::kInternal;
  Policy* p = arena->alloc_array<Policy>(1);
  if (!p) return Status::kLimit;
  new (p) Policy();
  const BlobHeader* h = reinterpret_cast<const BlobHeader*>(blob);
  if (h->magic != kBlobMagic) return Status::kBadMagic;
  if (h->format_version != kBlobFormatVersion) return Status::kBadVersion;
  if (h->header_size != sizeof(BlobHeader) || h->total_size != len)
    return Status::kBadSize;
  p->hdr_ = h;
  p->len_ = len;
  Status s = p->validate(arena);
  if (s != Status::kOk) return s;
  p->rules_ = reinterpret_cast<const BlobRule*>(blob + h->rules_off);
  p->nodes_ = reinterpret_cast<const BlobNode*>(blob + h->nodes_off);
  p->kids_ = reinterpret_cast<const uint32_t*>(blob + h->kids_off);
  p->attrs_ = reinterpret_cast<const BlobAttr*>(blob + h->attrs_off);
  p->updates_ = reinterpret_cast<const BlobUpdate*>(blob + h->updates_off);
  p->pool_ = blob + h->pool_off;
  s = p->build_index(arena);
  if (s != Status::kOk) return s;
  *out = p;
  return Status::kOk;
}

void Policy::set_digest(const uint8_t d[32]) { memcpy(digest_, d, sizeof(digest_)); }

Status Policy::validate(Arena* arena) const {
  const BlobHeader& h = *hdr_;
  const uint8_t* base = reinterpret_cast<const uint8_t*>(hdr_);
  const size_t body = len_ - kBlobSigLen;
  if (h.reserved != 0) return Status::kMalformed;
  if (h.flags & ~kPolicyKnownFlags) return Status::kMalformed;
  if (h.flags & kPolicyAnyDevice) {
    for (uint8_t b : h.device_id)
      if (b) return Status::kMalformed;  // "any" and a device: ambiguous
  }
  if (h.n_rules > kMaxRules || h.n_nodes > kMaxNodes ||
      h.n_attrs > kMaxAttrs || h.n_updates > kMaxUpdates ||
      h.n_kids > kMaxNodes)
    return Status::kLimit;
  if (!section_ok(h.rules_off, h.n_rules, sizeof(BlobRule), body) ||
      !section_ok(h.nodes_off, h.n_nodes, sizeof(BlobNode), body) ||
      !section_ok(h.kids_off, h.n_kids, sizeof(uint32_t), body) ||
      !section_ok(h.attrs_off, h.n_attrs, sizeof(BlobAttr), body) ||
      !section_ok(h.updates_off, h.n_updates, sizeof(BlobUpdate), body) ||
      !section_ok(h.pool_off, h.pool_size, 1, body))
    return Status::kBadOffset;
  if (!range_ok(h.name_off, h.name_len, h.pool_size)) return Status::kBadOffset;

  const BlobAttr* attrs = reinterpret_cast<const BlobAttr*>(base + h.attrs_off);
  for (uint32_t i = 0; i < h.n_attrs; ++i) {
    const BlobAttr& a = attrs[i];
    // Stored entries are found by name hash, rules and the per-hook cache
    // epochs work by index: two declarations with one hash would share
    // entries behind the readers' backs (and across types).
    for (uint32_t j = 0; j < i; ++j)
      if (attrs[j].name_hash == a.name_hash) return Status::kMalformed;
    if (a.type != kAttrInt && a.type != kAttrSet) return Status::kMalformed;
    if (a.max_entries == 0) return Status::kMalformed;
    if (a.writer != kWriterEngine && a.writer != kWriterSecure &&
        a.writer != kWriterAdmin)
      return Status::kMalformed;
    if (!range_ok(a.name_off, a.name_len, h.pool_size) || a.name_len == 0 ||
        a.name_len > kMaxStringLen)
      return Status::kBadOffset;
    switch (a.scope) {
      case TZU_ATTR_SCOPE_GLOBAL:
        if (a.key != 0) return Status::kMalformed;
        break;
      case TZU_ATTR_SCOPE_SUBJECT:
        if (a.key != kKeyTgid && a.key != kKeyExe) return Status::kMalformed;
        break;
      case TZU_ATTR_SCOPE_OBJECT:
        if (a.key != kKeyField || !field_by_id(a.key_field))
          return Status::kMalformed;
        break;
      default:
        return Status::kMalformed;
    }
  }

  const BlobUpdate* ups =
      reinterpret_cast<const BlobUpdate*>(base + h.updates_off);
  for (uint32_t i = 0; i < h.n_updates; ++i) {
    const BlobUpdate& u = ups[i];
    if (u.attr >= h.n_attrs) return Status::kMalformed;
    // Rules may only change engine-written attributes: secure and admin
    // attributes have exactly one writer each, outside the policy.
    if (attrs[u.attr].writer != kWriterEngine) return Status::kMalformed;
    const bool is_set = attrs[u.attr].type == kAttrSet;
    switch (u.op) {
      case TZU_ATTR_OP_SET:
      case TZU_ATTR_OP_ADD:
        if (is_set) return Status::kMalformed;
        break;
      case TZU_ATTR_OP_INSERT:
        if (!is_set) return Status::kMalformed;
        break;
      case TZU_ATTR_OP_CLEAR:
        if (u.value_kind != kOperandNone) return Status::kMalformed;
        continue;
      default:
        return Status::kMalformed;
    }
    if (u.value_kind == kOperandField) {
      if (u.value < 0 || u.value > 0xffff ||
          !is_int_field(static_cast<uint32_t>(u.value)))
        return Status::kMalformed;
    } else if (u.value_kind != kOperandInt) {
      return Status::kMalformed;
    }
  }

  // Nodes in post-order: operands before parents; kinds computed on the way.
  const BlobNode* nodes = reinterpret_cast<const BlobNode*>(base + h.nodes_off);
  const uint32_t* kids = reinterpret_cast<const uint32_t*>(base + h.kids_off);
  const uint8_t* pool = base + h.pool_off;
  for (uint32_t i = 0; i < h.n_nodes; ++i) {
    const BlobNode& n = nodes[i];
    if (n.pad[0] | n.pad[1] | n.pad[2]) return Status::kMalformed;
    VKind lhs = VKind::kInvalid;
    if (n.op == kOpTrue || n.op == kOpFalse) {
      if (n.lhs_kind != kOperandNone || n.rhs_kind != kOperandNone)
        return Status::kMalformed;
      continue;
    }
    if (n.op == kOpAnd || n.op == kOpOr) {
      if (n.b == 0 || !range_ok(n.a, n.b, h.n_kids)) return Status::kMalformed;
      for (uint32_t k = n.a; k < n.a + n.b; ++k)
        if (kids[k] >= i) return Status::kMalformed;
      continue;
    }
    if (n.op == kOpNot) {
      if (n.a >= i) return Status::kMalformed;
      continue;
    }
    if (n.op < kOpEq || n.op > kOpLast) return Status::kMalformed;
    if (n.lhs_kind == kOperandField) {
      const FieldInfo* f = field_by_id(n.lhs);
      if (!f) return Status::kMalformed;
      lhs = f->kind == FieldKind::kInt ? VKind::kInt : VKind::kBytes;
    } else if (n.lhs_kind == kOperandAttr) {
      if (n.lhs >= h.n_attrs) return Status::kMalformed;
      lhs = attrs[n.lhs].type == kAttrInt ? VKind::kInt : VKind::kSet;
    } else {
      return Status::kMalformed;
    }
    VKind rhs = VKind::kInvalid;
    switch (n.rhs_kind) {
      case kOperandNone:
        break;
      case kOperandInt:
        rhs = VKind::kInt;
        break;
      case kOperandBytes:
        if (n.b > kMaxStringLen || !range_ok(n.a, n.b, h.pool_size))
          return Status::kBadOffset;
        rhs = VKind::kBytes;
        break;
      case kOperandRange:
        if (!range_ok(n.a, 16, h.pool_size) || n.a % 8 != 0)
          return Status::kBadOffset;
        rhs = VKind::kInt;
        break;
      case kOperandSet: {
        if (!range_ok(n.a, 8, h.pool_size) || n.a % 8 != 0)
          return Status::kBadOffset;
        uint32_t count, kind;
        memcpy(&count, pool + n.a, 4);
        memcpy(&kind, pool + n.a + 4, 4);
        if (count > kMaxSetMembers) return Status::kLimit;
        if (!range_ok(n.a + 8, count * 8, h.pool_size)) return Status::kBadOffset;
        if (kind == kOperandBytes) {
          for (uint32_t e = 0; e < count; ++e) {
            uint32_t off, l;
            memcpy(&off, pool + n.a + 8 + e * 8, 4);
            memcpy(&l, pool + n.a + 12 + e * 8, 4);
            if (l > kMaxStringLen || !range_ok(off, l, h.pool_size))
              return Status::kBadOffset;
          }
        } else if (kind != kOperandInt) {
          return Status::kMalformed;
        }
        // A set's element kind must match the left side.
        if ((kind == kOperandInt) != (lhs == VKind::kInt))
          return Status::kMalformed;
        rhs = VKind::kSet;
        break;
      }
      case kOperandField: {
        const FieldInfo* f = field_by_id(n.a);
        if (!f) return Status::kMalformed;
        rhs = f->kind == FieldKind::kInt ? VKind::kInt : VKind::kBytes;
        break;
      }
      case kOperandAttr:
        if (n.a >= h.n_attrs) return Status::kMalformed;
        rhs = attrs[n.a].type == kAttrInt ? VKind::kInt : VKind::kSet;
        break;
      default:
        return Status::kMalformed;
    }
    bool ok = false;
    switch (n.op) {
      case kOpEq:
      case kOpNe:
        ok = (lhs == VKind::kInt && rhs == VKind::kInt) ||
             (lhs == VKind::kBytes && rhs == VKind::kBytes);
        break;
      case kOpLt:
      case kOpLe:
      case kOpGt:
      case kOpGe:
      case kOpBitsAll:
      case kOpBitsAny:
        ok = lhs == VKind::kInt && rhs == VKind::kInt &&
             n.rhs_kind != kOperandRange;
        break;
      case kOpRange:
        ok = lhs == VKind::kInt && n.rhs_kind == kOperandRange;
        break;
      case kOpPrefix:
        ok = lhs == VKind::kBytes && rhs == VKind::kBytes;
        break;
      case kOpIn:
        // int in const set / int in set attribute / bytes in const set
        ok = rhs == VKind::kSet && lhs != VKind::kSet &&
             (n.rhs_kind == kOperandSet || lhs == VKind::kInt);
        break;
      case kOpPresent:
        ok = n.lhs_kind == kOperandAttr && rhs == VKind::kInvalid;
        break;
      default:
        break;
    }
    if (n.op != kOpPresent && n.op != kOpRange && n.rhs_kind == kOperandRange)
      ok = false;
    if (!ok) return Status::kMalformed;
  }
  // Depth bound: children precede parents, so one forward pass computes
  // every node's depth; the recursive evaluator then needs no checks.
  uint8_t* depth = arena->alloc_array<uint8_t>(h.n_nodes ? h.n_nodes : 1);
  if (!depth) return Status::kLimit;
  for (uint32_t i = 0; i < h.n_nodes; ++i) {
    const BlobNode& n = nodes[i];
    uint32_t d = 0;
    if (n.op == kOpAnd || n.op == kOpOr) {
      for (uint32_t k = n.a; k < n.a + n.b; ++k)
        if (depth[kids[k]] > d) d = depth[kids[k]];
    } else if (n.op == kOpNot) {
      d = depth[n.a];
    }
    if (d + 1 > kMaxExprDepth) return Status::kLimit;
    depth[i] = static_cast<uint8_t>(d + 1);
  }

  const BlobRule* rules = reinterpret_cast<const BlobRule*>(base + h.rules_off);
  for (uint32_t i = 0; i < h.n_rules; ++i) {
    const BlobRule& r = rules[i];
    if (r.id == 0) return Status::kMalformed;
    if (r.hook == TZU_HOOK_NONE || r.hook >= TZU_HOOK_COUNT)
      return Status::kMalformed;
    if (r.effect > kEffectDeny) return Status::kMalformed;
    if (r.flags & ~(kRulePermissive | kRuleAudit | kRuleSession))
      return Status::kMalformed;
    if (r.obligations & ~TZU_OBL_ALL) return Status::kMalformed;
    const uint32_t roots[3] = {r.target, r.condition, r.ongoing};
    for (uint32_t node : roots)
      if (node != kNone && node >= h.n_nodes) return Status::kMalformed;
    if (r.ongoing != kNone && !(r.flags & kRuleSession)) return Status::kMalformed;
    if (!range_ok(r.pre_first, r.pre_count, h.n_updates) ||
        !range_ok(r.post_first, r.post_count, h.n_updates))
      return Status::kMalformed;
    if (static_cast<uint64_t>(r.pre_count) + r.post_count > kMaxUpdatesPerRule)
      return Status::kLimit;
    if (!range_ok(r.name_off, r.name_len, h.pool_size)) return Status::kBadOffset;
  }
  return Status::kOk;
}

uint32_t Policy::find_attr(const char* name, size_t len) const {
  for (uint32_t i = 0; i < hdr_->n_attrs; ++i) {
    const BlobAttr& a = attrs_[i];
    if (a.name_len == len && memcmp(pool_ + a.name_off, name, len) == 0)
      return i;
  }
  return kNone;
}

uint32_t Policy::find_rule_by_hash(uint32_t name_hash) const {
  for (uint32_t i = 0; i < hdr_->n_rules; ++i)
    if (rules_[i].name_hash == name_hash) return i;
  return kNone;
}

}  // namespace ucon
