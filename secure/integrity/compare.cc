// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// compare.cc - first differing word: XOR-OR over 8 words per iteration (one
// branch per 32 bytes, an ldm-friendly loop at -O2), then locate the word.
#include "compare.h"

namespace integrity {
namespace {

// Normal-world RAM and the baseline are byte buffers to the rest of the
// code; may_alias keeps word access to them defined.
typedef uint32_t __attribute__((__may_alias__)) Word;

size_t locate(const Word* a, const Word* b, size_t i, size_t n) {
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

}  // namespace

size_t first_diff_word(const void* pa, const void* pb, size_t n) {
  const Word* a = static_cast<const Word*>(pa);
  const Word* b = static_cast<const Word*>(pb);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const Word x = (a[i] ^ b[i]) | (a[i + 1] ^ b[i + 1]) |
                   (a[i + 2] ^ b[i + 2]) | (a[i + 3] ^ b[i + 3]) |
                   (a[i + 4] ^ b[i + 4]) | (a[i + 5] ^ b[i + 5]) |
                   (a[i + 6] ^ b[i + 6]) | (a[i + 7] ^ b[i + 7]);
    if (x) return locate(a, b, i, i + 8);
  }
  return locate(a, b, i, n);
}

}  // namespace integrity
