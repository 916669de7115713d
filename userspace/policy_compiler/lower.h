// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// lower.h - Expr trees -> post-order BlobNode array, kids array and the
// constant pool (strings, sets, ranges) of blob_format.h.
#ifndef TZUCON_POLICY_COMPILER_LOWER_H
#define TZUCON_POLICY_COMPILER_LOWER_H

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ast.h"
#include "blob_format.h"

namespace policyc {

// The constant pool; offsets are relative to its start. Byte strings are
// stored once; sets and ranges are 8-byte aligned (they hold int64s).
class Pool {
 public:
  std::uint32_t bytes(const std::string& s);
  std::uint32_t int_set(const std::vector<std::int64_t>& values);
  std::uint32_t bytes_set(const std::vector<std::string>& values);
  std::uint32_t range(std::int64_t lo, std::int64_t hi);
  const std::vector<std::uint8_t>& data() const { return data_; }

 private:
  void align8();
  void put32(std::uint32_t v);
  void put64(std::int64_t v);
  std::uint32_t offset() const { return static_cast<std::uint32_t>(data_.size()); }

  std::vector<std::uint8_t> data_;
  std::map<std::string, std::uint32_t> strings_;
};

class ExprLowerer {
 public:
  explicit ExprLowerer(Pool* pool) : pool_(pool) {}
  // Appends e's nodes (children first) and returns the index of its root.
  std::uint32_t lower(const Expr& e);
  const std::vector<ucon::BlobNode>& nodes() const { return nodes_; }
  const std::vector<std::uint32_t>& kids() const { return kids_; }

 private:
  Pool* pool_;
  std::vector<ucon::BlobNode> nodes_;
  std::vector<std::uint32_t> kids_;
};

}  // namespace policyc

#endif  // TZUCON_POLICY_COMPILER_LOWER_H
