// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// lower.cc - expression lowering and the constant pool.
#include "lower.h"

namespace policyc {

void Pool::align8() {
  while (data_.size() % 8 != 0) data_.push_back(0);
}

void Pool::put32(std::uint32_t v) {
  for (int i = 0; i < 4; ++i) data_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void Pool::put64(std::int64_t v) {
  auto u = static_cast<std::uint64_t>(v);
  for (int i = 0; i < 8; ++i) data_.push_back(static_cast<std::uint8_t>(u >> (8 * i)));
}

std::uint32_t Pool::bytes(const std::string& s) {
  auto it = strings_.find(s);
  if (it != strings_.end()) return it->second;
  std::uint32_t off = offset();
  data_.insert(data_.end(), s.begin(), s.end());
  strings_.emplace(s, off);
  return off;
}

std::uint32_t Pool::int_set(const std::vector<std::int64_t>& values) {
  align8();
  std::uint32_t off = offset();
  put32(static_cast<std::uint32_t>(values.size()));
  put32(ucon::kOperandInt);
  for (std::int64_t v : values) put64(v);
  return off;
}

std::uint32_t Pool::bytes_set(const std::vector<std::string>& values) {
  // Members first: the set's entries point at them.
  std::vector<std::uint32_t> offs;
  for (const std::string& s : values) offs.push_back(bytes(s));
  align8();
  std::uint32_t off = offset();
  put32(static_cast<std::uint32_t>(values.size()));
  put32(ucon::kOperandBytes);
  for (std::size_t i = 0; i < values.size(); ++i) {
    put32(offs[i]);
    put32(static_cast<std::uint32_t>(values[i].size()));
  }
  return off;
}

std::uint32_t Pool::range(std::int64_t lo, std::int64_t hi) {
  align8();
  std::uint32_t off = offset();
  put64(lo);
  put64(hi);
  return off;
}

std::uint32_t ExprLowerer::lower(const Expr& e) {
  std::vector<std::uint32_t> children;
  for (const Expr& k : e.kids) children.push_back(lower(k));

  ucon::BlobNode n{};
  n.op = e.op;
  n.lhs_kind = e.lhs_kind;
  n.lhs = e.lhs;
  n.rhs_kind = e.rhs.kind;
  switch (e.op) {
    case ucon::kOpAnd:
    case ucon::kOpOr:
      n.a = static_cast<std::uint32_t>(kids_.size());
      n.b = static_cast<std::uint32_t>(children.size());
      kids_.insert(kids_.end(), children.begin(), children.end());
      break;
    case ucon::kOpNot:
      n.a = children.at(0);
      break;
    default:
      break;
  }
  const Operand& r = e.rhs;
  switch (r.kind) {
    case ucon::kOperandInt: {
      auto u = static_cast<std::uint64_t>(r.i);
      n.a = static_cast<std::uint32_t>(u);
      n.b = static_cast<std::uint32_t>(u >> 32);
      break;
    }
    case ucon::kOperandBytes:
      n.a = pool_->bytes(r.bytes);
      n.b = static_cast<std::uint32_t>(r.bytes.size());
      break;
    case ucon::kOperandSet:
      n.a = r.set_elem == ucon::kOperandInt ? pool_->int_set(r.ints)
                                            : pool_->bytes_set(r.strs);
      break;
    case ucon::kOperandRange:
      n.a = pool_->range(r.lo, r.hi);
      break;
    case ucon::kOperandField:
    case ucon::kOperandAttr:
      n.a = r.ref;
      break;
    default:
      break;
  }
  nodes_.push_back(n);
  return static_cast<std::uint32_t>(nodes_.size() - 1);
}

}  // namespace policyc
