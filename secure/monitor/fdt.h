// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// fdt.h - bounded, freestanding reader of a flattened device tree (DTB,
// devicetree spec v0.4 ch. 5) for the DTB the secure world hands to Linux:
// the normal world controls its bytes, so every offset is checked against
// the buffer and the walk is a bounded cursor with a nesting limit.
#ifndef TZUCON_MONITOR_FDT_H
#define TZUCON_MONITOR_FDT_H

#include <stddef.h>
#include <stdint.h>

namespace fdt {

enum class Error : uint8_t {
  kOk = 0,
  kMisaligned,    // the buffer is not 4-byte aligned
  kTruncated,     // the header or totalsize reaches past the buffer
  kBadMagic,
  kBadVersion,    // needs version >= 17 (size_dt_struct), last_comp <= 17
  kBadHeader,     // a block outside totalsize, over the header, misaligned
  kBadStructure,  // malformed token stream, name or property
  kTooDeep,       // nesting beyond kMaxDepth
  kNotFound,      // valid tree, but no such node or property
};

// Lower-case, stable text for logs.
const char* error_name(Error e);

constexpr uint32_t kMagic = 0xD00DFEEDu;
constexpr uint32_t kHeaderSize = 40;
// Linux refuses to unflatten deeper trees (FDT_MAX_DEPTH, drivers/of/fdt.c).
constexpr uint32_t kMaxDepth = 64;

// A DTB whose header has been checked: both blocks lie inside it.
struct Blob {
  const uint8_t* base = nullptr;
  uint32_t total = 0;
  uint32_t off_struct = 0;
  uint32_t size_struct = 0;
  uint32_t off_strings = 0;
  uint32_t size_strings = 0;
};

struct Property {
  const uint8_t* data = nullptr;  // inside the structure block
  uint32_t len = 0;
};

// Checks the header (and the memory reservation map) of the DTB at buf
// against the max_len bytes readable there. All multi-byte reads are
// aligned, so it also works on Strongly-ordered memory (MMU off).
Error open(const uint8_t* buf, size_t max_len, Blob* out);

// Validates the whole structure block (token stream, names, property
// bounds, one root, nesting <= kMaxDepth, FDT_END) and returns the first
// property `prop` of the first child of the root named `node` or
// `node@<unit>` - the property Linux reads for "/<node>". Only properties
// before the node's first subnode count, as in libfdt. kNotFound if the
// tree is valid but the node or property is missing.
Error find_root_child_prop(const Blob& b, const char* node, const char* prop,
                           Property* out);

}  // namespace fdt

#endif  // TZUCON_MONITOR_FDT_H
