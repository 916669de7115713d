// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// compare.h - the re-measurement's inner loop: where two word arrays first
// differ. A word compare per 4 bytes against a secure copy instead of a
// SHA-256 block per 64 (docs/integrity.md has the figures).
#ifndef TZUCON_INTEGRITY_COMPARE_H
#define TZUCON_INTEGRITY_COMPARE_H

#include <stddef.h>
#include <stdint.h>

namespace integrity {

// Index of the first 32-bit word where a[] and b[] differ, or n_words if
// they are equal. Both 4-byte aligned.
size_t first_diff_word(const void* a, const void* b, size_t n_words);

}  // namespace integrity

#endif  // TZUCON_INTEGRITY_COMPARE_H
