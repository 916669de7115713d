// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// arena.h - bump allocator over caller-provided memory; the engine's only
// source of memory. Allocation failure is a null return, never a throw.
#ifndef UCON_ENGINE_ARENA_H
#define UCON_ENGINE_ARENA_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

namespace ucon {

class Arena {
 public:
  Arena() = default;
  Arena(void* base, size_t size)
      : base_(static_cast<uint8_t*>(base)), size_(size) {}

  // Zeroed, aligned memory or nullptr when the arena is exhausted.
  void* alloc(size_t bytes, size_t align = 8) {
    size_t start = (used_ + align - 1) & ~(align - 1);
    if (start < used_ || start > size_ || bytes > size_ - start) return nullptr;
    used_ = start + bytes;
    memset(base_ + start, 0, bytes);
    return base_ + start;
  }

  template <typename T>
  T* alloc_array(size_t n) {
    if (n > SIZE_MAX / sizeof(T)) return nullptr;
    return static_cast<T*>(alloc(n * sizeof(T), alignof(T) < 8 ? 8 : alignof(T)));
  }

  // Carves a sub-arena of `bytes` out of this one.
  Arena sub(size_t bytes) {
    void* p = alloc(bytes);
    return p ? Arena(p, bytes) : Arena();
  }

  void reset() { used_ = 0; }
  size_t used() const { return used_; }
  size_t size() const { return size_; }
  bool valid() const { return base_ != nullptr; }

 private:
  uint8_t* base_ = nullptr;
  size_t size_ = 0;
  size_t used_ = 0;
};

}  // namespace ucon

#endif  // UCON_ENGINE_ARENA_H
