// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// node_text.cc - compiled expression nodes -> text.
#include "node_text.h"

#include <cstdio>
#include <string>

#include "blob_format.h"
#include "event_json.h"
#include "fields.h"
#include "limits.h"

namespace policyctl {
namespace {

// Deeper than kMaxExprDepth means a broken blob; stop rather than recurse.
constexpr int kMaxRenderDepth = 2 * static_cast<int>(ucon::kMaxExprDepth);

std::string hex_int(std::int64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "0x%llx",
                static_cast<unsigned long long>(static_cast<std::uint64_t>(v)));
  return buf;
}

bool bit_op(std::uint8_t op) {
  return op == ucon::kOpBitsAll || op == ucon::kOpBitsAny;
}

std::string int_text(std::int64_t v, bool hex) {
  return hex ? hex_int(v) : std::to_string(v);
}

// Printable bytes as a JSON string, anything else as hex.
std::string bytes_text(const std::string& s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c >= 0x7f) return "0x" + to_hex(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
  }
  return dump(Json(s));
}

std::string field_name(std::uint32_t id) {
  const ucon::FieldInfo* f = ucon::field_by_id(id);
  return f ? f->name : "field#" + std::to_string(id);
}

std::string lhs_text(const BlobView& b, const ucon::BlobNode& n) {
  if (n.lhs_kind == ucon::kOperandField) return field_name(n.lhs);
  if (n.lhs_kind == ucon::kOperandAttr) return "attr." + b.attr_name(n.lhs);
  return "?";
}

std::string set_text(const BlobView& b, std::uint32_t off, bool hex) {
  auto count = b.pool_u32(off);
  auto kind = b.pool_u32(off + 4);
  if (!count || !kind) return "{?}";
  std::string out = "{";
  for (std::uint32_t i = 0; i < *count && i < ucon::kMaxSetMembers; ++i) {
    std::uint32_t e = off + 8 + 8 * i;
    if (i) out += ", ";
    if (*kind == ucon::kOperandInt) {
      auto v = b.pool_i64(e);
      out += v ? int_text(*v, hex) : "?";
    } else {
      auto po = b.pool_u32(e);
      auto len = b.pool_u32(e + 4);
      auto s = po && len ? b.pool_bytes(*po, *len) : std::nullopt;
      out += s ? bytes_text(*s) : "?";
    }
  }
  return out + "}";
}

std::string rhs_text(const BlobView& b, const ucon::BlobNode& n) {
  const bool hex = bit_op(n.op);
  switch (n.rhs_kind) {
    case ucon::kOperandInt:
      return int_text(static_cast<std::int64_t>(static_cast<std::uint64_t>(n.a) |
                                                static_cast<std::uint64_t>(n.b) << 32),
                      hex);
    case ucon::kOperandBytes: {
      auto s = b.pool_bytes(n.a, n.b);
      return s ? bytes_text(*s) : "?";
    }
    case ucon::kOperandSet:
      return set_text(b, n.a, hex);
    case ucon::kOperandRange: {
      auto lo = b.pool_i64(n.a);
      auto hi = b.pool_i64(n.a + 8);
      if (!lo || !hi) return "[?]";
      return "[" + std::to_string(*lo) + ", " + std::to_string(*hi) + "]";
    }
    case ucon::kOperandField:
      return field_name(n.a);
    case ucon::kOperandAttr:
      return "attr." + b.attr_name(n.a);
    default:
      return "?";
  }
}

const char* op_text(std::uint8_t op) {
  switch (op) {
    case ucon::kOpEq: return "==";
    case ucon::kOpNe: return "!=";
    case ucon::kOpLt: return "<";
    case ucon::kOpLe: return "<=";
    case ucon::kOpGt: return ">";
    case ucon::kOpGe: return ">=";
    case ucon::kOpIn: return "in";
    case ucon::kOpPrefix: return "prefix";
    case ucon::kOpBitsAll: return "bits_all";
    case ucon::kOpBitsAny: return "bits_any";
    case ucon::kOpRange: return "range";
    default: return "?";
  }
}

std::string render(const BlobView& b, std::uint32_t node, int depth) {
  if (depth > kMaxRenderDepth) return "...";
  auto n = b.node(node);
  if (!n) return "<node " + std::to_string(node) + "?>";
  switch (n->op) {
    case ucon::kOpTrue: return "true";
    case ucon::kOpFalse: return "false";
    case ucon::kOpNot: {
      auto child = b.node(n->a);
      std::string inner = render(b, n->a, depth + 1);
      bool leaf = child && child->op != ucon::kOpAnd && child->op != ucon::kOpOr;
      return leaf ? "!(" + inner + ")" : "!" + inner;
    }
    case ucon::kOpAnd:
    case ucon::kOpOr: {
      const char* join = n->op == ucon::kOpAnd ? " && " : " || ";
      std::string out = "(";
      for (std::uint32_t k = 0; k < n->b; ++k) {
        auto kid = b.kid(n->a + k);
        if (k) out += join;
        out += kid ? render(b, *kid, depth + 1) : "?";
      }
      return out + ")";
    }
    case ucon::kOpPresent:
      return "present(attr." + b.attr_name(n->lhs) + ")";
    default:
      return lhs_text(b, *n) + " " + op_text(n->op) + " " + rhs_text(b, *n);
  }
}

}  // namespace

std::string render_node(const BlobView& b, std::uint32_t node) {
  if (node == ucon::kNone) return "true";
  return render(b, node, 0);
}

bool is_comparison(const BlobView& b, std::uint32_t node) {
  auto n = b.node(node);
  return n && n->op >= ucon::kOpEq && n->op <= ucon::kOpLast;
}

std::string operand_value(const BlobView& b, std::uint32_t node,
                          const tzu_event& ev) {
  auto n = b.node(node);
  if (!n || !is_comparison(b, node)) return "";
  if (n->lhs_kind == ucon::kOperandAttr || n->op == ucon::kOpPresent) {
    auto a = b.attr(n->lhs);
    std::string name = "attr." + b.attr_name(n->lhs);
    if (!a) return name + " = ?";
    if (a->type == ucon::kAttrSet || n->op == ucon::kOpPresent) {
      return name + " absent (fresh engine)";
    }
    return name + " = " + std::to_string(a->initial) + " (initial value)";
  }
  if (n->lhs_kind != ucon::kOperandField) return "";
  const ucon::FieldInfo* f = ucon::field_by_id(n->lhs);
  if (!f) return "";
  if (f->kind == ucon::FieldKind::kInt) {
    return std::string(f->name) + " = " + int_text(ucon::field_int(ev, *f), bit_op(n->op));
  }
  std::uint32_t len = 0;
  const std::uint8_t* p = ucon::field_bytes(ev, *f, &len);
  std::string s(reinterpret_cast<const char*>(p), len);
  if (f->kind == ucon::FieldKind::kBytes) {
    return std::string(f->name) + " = " + to_hex(p, len);
  }
  return std::string(f->name) + " = " + dump(Json(s));
}

}  // namespace policyctl
