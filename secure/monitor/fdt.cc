// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// fdt.cc - header checks and one bounded pass over the structure block.
#include "fdt.h"

namespace fdt {
namespace {

constexpr uint32_t kTokBeginNode = 1;
constexpr uint32_t kTokEndNode = 2;
constexpr uint32_t kTokProp = 3;
constexpr uint32_t kTokNop = 4;
constexpr uint32_t kTokEnd = 9;
constexpr uint32_t kLastCompVersion = 17;

// Big-endian word at an offset the caller has checked and aligned. Byte
// loads the compiler may merge into one (aligned) word load.
uint32_t be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) |
         (uint32_t{p[2]} << 8) | p[3];
}

uint32_t pad4(uint32_t n) { return (n + 3u) & ~3u; }

// Length of the NUL-terminated string at p, or false if no NUL in n bytes.
bool bounded_strlen(const uint8_t* p, uint32_t n, uint32_t* len) {
  for (uint32_t i = 0; i < n; ++i)
    if (p[i] == 0) {
      *len = i;
      return true;
    }
  return false;
}

bool equals(const uint8_t* s, uint32_t len, const char* want) {
  uint32_t i = 0;
  for (; i < len; ++i)
    if (want[i] == '\0' || static_cast<uint8_t>(want[i]) != s[i]) return false;
  return want[i] == '\0';
}

// libfdt's rule for a path component without a unit address: "chosen"
// matches a node "chosen" and a node "chosen@<anything>".
bool node_name_matches(const uint8_t* s, uint32_t len, const char* want) {
  uint32_t i = 0;
  for (; want[i] != '\0'; ++i)
    if (i >= len || static_cast<uint8_t>(want[i]) != s[i]) return false;
  return i == len || s[i] == '@';
}

// Memory reservation map: (address, size) u64 pairs up to a (0, 0) entry,
// which must come before totalsize.
bool rsvmap_ok(const uint8_t* base, uint32_t off, uint32_t total) {
  if (off < kHeaderSize || off % 8 || off > total) return false;
  for (uint32_t p = off; total - p >= 16; p += 16) {
    bool zero = true;
    for (uint32_t w = 0; w < 4; ++w) zero = zero && be32(base + p + 4 * w) == 0;
    if (zero) return true;
  }
  return false;
}

bool block_ok(uint32_t off, uint32_t size, uint32_t total) {
  return off >= kHeaderSize && off <= total && size <= total - off;
}

// Cursor over the structure block: reads fail instead of overrunning, and
// every step consumes at least one aligned word, so walks are bounded.
class Cursor {
 public:
  explicit Cursor(const Blob& b)
      : p_(b.base + b.off_struct), n_(b.size_struct & ~3u) {}

  bool word(uint32_t* v) {
    if (n_ - pos_ < 4) return false;
    *v = be32(p_ + pos_);
    pos_ += 4;
    return true;
  }

  // A NUL-terminated node name, then padding to the next word.
  bool name(const uint8_t** s, uint32_t* len) {
    if (!bounded_strlen(p_ + pos_, n_ - pos_, len)) return false;
    *s = p_ + pos_;
    return skip(*len + 1);
  }

  bool take(uint32_t len, const uint8_t** data) {
    *data = p_ + pos_;
    return skip(len);
  }

 private:
  bool skip(uint32_t len) {
    if (len > n_ - pos_ || pad4(len) > n_ - pos_) return false;
    pos_ += pad4(len);
    return true;
  }

  const uint8_t* p_;
  uint32_t n_;
  uint32_t pos_ = 0;
};

// What the walk is looking for and what it found.
struct Search {
  Search(const char* n, const char* p) : node(n), prop(p) {}
  const char* node;
  const char* prop;
  bool node_found = false;
  bool in_props = false;  // in the target's own property list
  bool prop_found = false;
  Property result;
};

Error on_begin(Cursor* c, uint32_t* depth, bool* seen_root, Search* s) {
  const uint8_t* name;
  uint32_t len;
  if (!c->name(&name, &len)) return Error::kBadStructure;
  if (*depth == 0) {
    if (*seen_root) return Error::kBadStructure;  // a second root
    *seen_root = true;
  }
  if (++*depth > kMaxDepth) return Error::kTooDeep;
  s->in_props = *depth == 2 && !s->node_found &&
                node_name_matches(name, len, s->node);
  if (s->in_props) s->node_found = true;
  return Error::kOk;
}

Error on_prop(const Blob& b, Cursor* c, uint32_t depth, Search* s) {
  uint32_t len, nameoff;
  const uint8_t* data;
  if (depth == 0 || !c->word(&len) || !c->word(&nameoff) ||
      !c->take(len, &data))
    return Error::kBadStructure;
  uint32_t name_len;
  if (nameoff >= b.size_strings ||
      !bounded_strlen(b.base + b.off_strings + nameoff,
                      b.size_strings - nameoff, &name_len))
    return Error::kBadStructure;
  if (s->in_props && !s->prop_found &&
      equals(b.base + b.off_strings + nameoff, name_len, s->prop)) {
    s->prop_found = true;
    s->result = Property{data, len};
  }
  return Error::kOk;
}

}  // namespace

const char* error_name(Error e) {
  switch (e) {
    case Error::kOk: return "ok";
    case Error::kMisaligned: return "misaligned";
    case Error::kTruncated: return "truncated";
    case Error::kBadMagic: return "bad magic";
    case Error::kBadVersion: return "bad version";
    case Error::kBadHeader: return "bad header";
    case Error::kBadStructure: return "bad structure";
    case Error::kTooDeep: return "too deep";
    case Error::kNotFound: return "not found";
  }
  return "unknown";
}

Error open(const uint8_t* buf, size_t max_len, Blob* out) {
  *out = Blob{};
  if (!buf || max_len < kHeaderSize) return Error::kTruncated;
  if (reinterpret_cast<uintptr_t>(buf) % 4) return Error::kMisaligned;
  if (be32(buf) != kMagic) return Error::kBadMagic;
  const uint32_t total = be32(buf + 4);
  if (total < kHeaderSize) return Error::kBadHeader;
  if (total > max_len) return Error::kTruncated;
  if (be32(buf + 20) < 17 || be32(buf + 24) > kLastCompVersion)
    return Error::kBadVersion;
  Blob b;
  b.base = buf;
  b.total = total;
  b.off_struct = be32(buf + 8);
  b.off_strings = be32(buf + 12);
  b.size_strings = be32(buf + 32);
  b.size_struct = be32(buf + 36);
  if (b.off_struct % 4 || !block_ok(b.off_struct, b.size_struct, total) ||
      !block_ok(b.off_strings, b.size_strings, total) ||
      !rsvmap_ok(buf, be32(buf + 16), total))
    return Error::kBadHeader;
  *out = b;
  return Error::kOk;
}

Error find_root_child_prop(const Blob& b, const char* node, const char* prop,
                           Property* out) {
  *out = Property{};
  if (!b.base) return Error::kBadHeader;
  Cursor c(b);
  Search s(node, prop);
  uint32_t depth = 0;
  bool seen_root = false;
  for (;;) {
    uint32_t tag;
    if (!c.word(&tag)) return Error::kBadStructure;  // no FDT_END
    Error e = Error::kOk;
    switch (tag) {
      case kTokBeginNode: e = on_begin(&c, &depth, &seen_root, &s); break;
      case kTokEndNode:
        if (depth == 0) return Error::kBadStructure;
        --depth;
        s.in_props = false;
        break;
      case kTokProp: e = on_prop(b, &c, depth, &s); break;
      case kTokNop: break;
      case kTokEnd:
        if (depth != 0 || !seen_root) return Error::kBadStructure;
        if (!s.prop_found) return Error::kNotFound;
        *out = s.result;
        return Error::kOk;
      default: return Error::kBadStructure;
    }
    if (e != Error::kOk) return e;
  }
}

}  // namespace fdt
