// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// reader.h - bounded cursor over a request already copied into secure memory:
// every read checks the remaining length first and fails instead of overrunning.
#ifndef TZUCON_MONITOR_READER_H
#define TZUCON_MONITOR_READER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

namespace monitor {

class Reader {
 public:
  Reader(const uint8_t* p, size_t n) : p_(p), n_(n) {}

  size_t remaining() const { return n_ - pos_; }

  // Copies sizeof(T) bytes into *out (any alignment).
  template <class T>
  bool read(T* out) {
    if (remaining() < sizeof(T)) return false;
    memcpy(out, p_ + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }

  // Points at the next n bytes and steps over them.
  bool take(size_t n, const uint8_t** out) {
    if (remaining() < n) return false;
    *out = p_ + pos_;
    pos_ += n;
    return true;
  }

 private:
  const uint8_t* p_;
  size_t n_;
  size_t pos_ = 0;
};

}  // namespace monitor

#endif  // TZUCON_MONITOR_READER_H
