// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// blob_view.cc - bounds-checked accessors over a compiled policy blob.
#include "blob_view.h"

#include <cstring>

namespace policyctl {

std::optional<BlobView> BlobView::parse(const std::vector<std::uint8_t>& blob,
                                        std::string* err) {
  BlobView v(&blob);
  if (blob.size() < sizeof(ucon::BlobHeader)) {
    *err = "blob shorter than its header";
    return std::nullopt;
  }
  std::memcpy(&v.hdr_, blob.data(), sizeof(v.hdr_));
  if (v.hdr_.magic != ucon::kBlobMagic) {
    *err = "not a policy blob (bad magic)";
    return std::nullopt;
  }
  if (v.hdr_.format_version != ucon::kBlobFormatVersion) {
    *err = "unsupported blob format version " + std::to_string(v.hdr_.format_version);
    return std::nullopt;
  }
  return v;
}

template <typename T>
std::optional<T> BlobView::entry(std::uint32_t off, std::uint32_t n,
                                 std::uint32_t i) const {
  if (i >= n) return std::nullopt;
  std::uint64_t start = static_cast<std::uint64_t>(off) +
                        static_cast<std::uint64_t>(i) * sizeof(T);
  if (start + sizeof(T) > blob_->size()) return std::nullopt;
  T out;
  std::memcpy(&out, blob_->data() + start, sizeof(T));
  return out;
}

std::optional<ucon::BlobRule> BlobView::rule(std::uint32_t i) const {
  return entry<ucon::BlobRule>(hdr_.rules_off, hdr_.n_rules, i);
}

std::optional<ucon::BlobNode> BlobView::node(std::uint32_t i) const {
  return entry<ucon::BlobNode>(hdr_.nodes_off, hdr_.n_nodes, i);
}

std::optional<std::uint32_t> BlobView::kid(std::uint32_t i) const {
  return entry<std::uint32_t>(hdr_.kids_off, hdr_.n_kids, i);
}

std::optional<ucon::BlobAttr> BlobView::attr(std::uint32_t i) const {
  return entry<ucon::BlobAttr>(hdr_.attrs_off, hdr_.n_attrs, i);
}

std::optional<std::string> BlobView::pool_bytes(std::uint32_t off,
                                                std::uint32_t len) const {
  std::uint64_t end = static_cast<std::uint64_t>(off) + len;
  if (end > hdr_.pool_size) return std::nullopt;
  std::uint64_t abs = static_cast<std::uint64_t>(hdr_.pool_off) + off;
  if (abs + len > blob_->size()) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(blob_->data() + abs), len);
}

std::optional<std::int64_t> BlobView::pool_i64(std::uint32_t off) const {
  auto b = pool_bytes(off, 8);
  if (!b) return std::nullopt;
  std::int64_t v;
  std::memcpy(&v, b->data(), 8);
  return v;
}

std::optional<std::uint32_t> BlobView::pool_u32(std::uint32_t off) const {
  auto b = pool_bytes(off, 4);
  if (!b) return std::nullopt;
  std::uint32_t v;
  std::memcpy(&v, b->data(), 4);
  return v;
}

std::string BlobView::attr_name(std::uint32_t i) const {
  auto a = attr(i);
  if (!a) return "?";
  auto s = pool_bytes(a->name_off, a->name_len);
  return s ? *s : "?";
}

std::string BlobView::rule_name(std::uint32_t i) const {
  auto r = rule(i);
  if (!r || r->name_len == 0) return "";
  auto s = pool_bytes(r->name_off, r->name_len);
  return s ? *s : "";
}

}  // namespace policyctl
