// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// blob_view.h - read-only, bounds-checked view of a compiled policy blob
// (secure/ucon_engine/blob_format.h) for tools that show what the engine
// evaluates: `policyctl explain` renders rules and expression nodes from it.
// The engine has its own validating decoder; this one never trusts offsets
// either, but reports problems as "?" text instead of rejecting the blob.
#ifndef POLICYCTL_BLOB_VIEW_H
#define POLICYCTL_BLOB_VIEW_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "blob_format.h"

namespace policyctl {

class BlobView {
 public:
  // Fails (nullopt, *err set) only when the header itself is unusable.
  static std::optional<BlobView> parse(const std::vector<std::uint8_t>& blob,
                                       std::string* err);

  const ucon::BlobHeader& header() const { return hdr_; }
  std::uint32_t n_rules() const { return hdr_.n_rules; }
  std::uint32_t n_nodes() const { return hdr_.n_nodes; }
  std::uint32_t n_attrs() const { return hdr_.n_attrs; }

  // Copies of table entries; nullopt when out of range or out of the blob.
  std::optional<ucon::BlobRule> rule(std::uint32_t i) const;
  std::optional<ucon::BlobNode> node(std::uint32_t i) const;
  std::optional<std::uint32_t> kid(std::uint32_t i) const;
  std::optional<ucon::BlobAttr> attr(std::uint32_t i) const;
  // Pool bytes [off, off+len).
  std::optional<std::string> pool_bytes(std::uint32_t off, std::uint32_t len) const;
  std::optional<std::int64_t> pool_i64(std::uint32_t off) const;
  std::optional<std::uint32_t> pool_u32(std::uint32_t off) const;

  std::string attr_name(std::uint32_t i) const;  // "?" if unreadable
  std::string rule_name(std::uint32_t i) const;  // "" if none

 private:
  explicit BlobView(const std::vector<std::uint8_t>* blob) : blob_(blob) {}
  template <typename T>
  std::optional<T> entry(std::uint32_t off, std::uint32_t n, std::uint32_t i) const;

  const std::vector<std::uint8_t>* blob_;
  ucon::BlobHeader hdr_{};
};

}  // namespace policyctl

#endif  // POLICYCTL_BLOB_VIEW_H
