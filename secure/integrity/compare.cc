// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// compare.cc - first differing word: XOR-OR over 8 words per iteration (one
// branch per 32 bytes), then the word inside the block. At -O2 for the
// Cortex-A9 GCC makes the block loop 36 instructions per 32 bytes (16 ldr,
// 8 eor, 8 orr, 4 of loop control: 0.89 bytes per instruction), so the
// secure image scans blocks with compare_arm.S instead (LDM pairs, 21 per
// 32 bytes); the host keeps the C++ loop, which the tests compare with it
// only through behaviour.
#include "compare.h"

namespace integrity {
namespace {

// Normal-world RAM and the baseline are byte buffers to the rest of the
// code; may_alias keeps word access to them defined.
typedef uint32_t __attribute__((__may_alias__)) Word;

}  // namespace

#if defined(__arm__) && !defined(__linux__)
extern "C" size_t integrity_equal_blocks(const void* a, const void* b, size_t n);
#endif

size_t first_diff_word(const void* pa, const void* pb, size_t n) {
  const Word* a = static_cast<const Word*>(pa);
  const Word* b = static_cast<const Word*>(pb);
  const Word* const start = a;
  const Word* const end8 = a + (n & ~size_t{7});
  const Word* const end = a + n;
#if defined(__arm__) && !defined(__linux__)
  const size_t equal = integrity_equal_blocks(a, b, n / 8);
  a += 8 * equal;
  b += 8 * equal;
#else
  // Pointer bumps instead of an index: GCC then keeps one add per array.
  for (; a != end8; a += 8, b += 8) {
    const Word x = (a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) |
                   (a[3] ^ b[3]) | (a[4] ^ b[4]) | (a[5] ^ b[5]) |
                   (a[6] ^ b[6]) | (a[7] ^ b[7]);
    if (x) break;
  }
#endif
  (void)end8;
  while (a != end && *a == *b) {
    ++a;
    ++b;
  }
  return static_cast<size_t>(a - start);
}

}  // namespace integrity
