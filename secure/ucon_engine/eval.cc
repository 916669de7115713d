// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// eval.cc - expression evaluation. Policy::decode has checked every index,
// operand kind and the depth bound, so nothing here can go out of range.
#include "eval.h"

#include <string.h>

#include "fields.h"

namespace ucon {
namespace {

// One resolved operand.
struct Operand {
  enum Kind : uint8_t { kInt, kBytes, kConstSet, kAttrSet } kind = kInt;
  int64_t i = 0;
  const uint8_t* p = nullptr;  // bytes, or the BlobSet in the pool
  uint32_t len = 0;
  const AttrEntry* set = nullptr;  // kAttrSet (nullptr = empty set)
};

int64_t read_i64(const uint8_t* p) {
  int64_t v;
  memcpy(&v, p, 8);
  return v;
}

uint32_t read_u32(const uint8_t* p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

}  // namespace

bool Evaluator::holds(uint32_t node, uint32_t rule) const {
  return node == kNone ? true : eval(node, rule);
}

bool Evaluator::eval(uint32_t node, uint32_t rule) const {
  const BlobNode& n = p_.node(node);
  bool r;
  switch (n.op) {
    case kOpTrue:
      r = true;
      break;
    case kOpFalse:
      r = false;
      break;
    case kOpAnd:
      r = true;
      for (uint32_t k = n.a; k < n.a + n.b && r; ++k) r = eval(p_.kid(k), rule);
      break;
    case kOpOr:
      r = false;
      for (uint32_t k = n.a; k < n.a + n.b && !r; ++k) r = eval(p_.kid(k), rule);
      break;
    case kOpNot:
      r = !eval(n.a, rule);
      break;
    default:
      r = compare(n);
      break;
  }
  if (trace_ && trace_->on_node) trace_->on_node(trace_->ctx, rule, node, r);
  return r;
}

bool Evaluator::compare(const BlobNode& n) const {
  auto resolve = [this](uint8_t kind, uint32_t id, uint32_t a,
                        uint32_t b) -> Operand {
    Operand o;
    switch (kind) {
      case kOperandField: {
        const FieldInfo& f = *field_by_id(id);
        if (f.kind == FieldKind::kInt) {
          o.i = field_int(ev_, f);
        } else {
          o.kind = Operand::kBytes;
          o.p = field_bytes(ev_, f, &o.len);
        }
        break;
      }
      case kOperandAttr: {
        const BlobAttr& d = p_.attr(id);
        const AttrEntry* e = attrs_.find(d.name_hash, attr_key(d, ev_));
        if (d.type == kAttrSet) {
          o.kind = Operand::kAttrSet;
          o.set = e;
        } else {
          o.i = e ? e->value : d.initial;
        }
        break;
      }
      case kOperandInt:
        o.i = static_cast<int64_t>(static_cast<uint64_t>(a) |
                                   (static_cast<uint64_t>(b) << 32));
        break;
      case kOperandBytes:
        o.kind = Operand::kBytes;
        o.p = p_.pool() + a;
        o.len = b;
        break;
      case kOperandSet:
      case kOperandRange:
        o.kind = Operand::kConstSet;
        o.p = p_.pool() + a;
        break;
      default:
        break;
    }
    return o;
  };

  if (n.op == kOpPresent) {
    const BlobAttr& d = p_.attr(n.lhs);
    return attrs_.find(d.name_hash, attr_key(d, ev_)) != nullptr;
  }
  const Operand l = resolve(n.lhs_kind, n.lhs, 0, 0);
  const uint32_t rid = n.rhs_kind == kOperandField || n.rhs_kind == kOperandAttr
                           ? n.a : 0;
  const Operand r = resolve(n.rhs_kind, rid, n.a, n.b);
  switch (n.op) {
    case kOpEq:
    case kOpNe: {
      bool eq = l.kind == Operand::kInt
                    ? l.i == r.i
                    : l.len == r.len && memcmp(l.p, r.p, l.len) == 0;
      return n.op == kOpEq ? eq : !eq;
    }
    case kOpLt: return l.i < r.i;
    case kOpLe: return l.i <= r.i;
    case kOpGt: return l.i > r.i;
    case kOpGe: return l.i >= r.i;
    case kOpBitsAll: return (l.i & r.i) == r.i;
    case kOpBitsAny: return (l.i & r.i) != 0;
    case kOpRange: return read_i64(r.p) <= l.i && l.i <= read_i64(r.p + 8);
    case kOpPrefix:
      return l.len >= r.len && memcmp(l.p, r.p, r.len) == 0;
    case kOpIn: {
      if (r.kind == Operand::kAttrSet) {
        if (!r.set) return false;
        for (uint32_t m = 0; m < r.set->n_members; ++m)
          if (r.set->members[m] == l.i) return true;
        return false;
      }
      const uint32_t count = read_u32(r.p);
      const bool ints = read_u32(r.p + 4) == kOperandInt;
      for (uint32_t m = 0; m < count; ++m) {
        const uint8_t* e = r.p + 8 + m * 8;
        if (ints) {
          if (read_i64(e) == l.i) return true;
        } else {
          const uint32_t len = read_u32(e + 4);
          if (len == l.len && memcmp(p_.pool() + read_u32(e), l.p, len) == 0)
            return true;
        }
      }
      return false;
    }
    default:
      return false;
  }
}

}  // namespace ucon
