// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// manifest.h - validation of a signed kernel manifest (tzu_kmanifest_*) held
// in secure memory: every size, offset and range checked, then the policy
// key's Ed25519 signature.
#ifndef TZUCON_INTEGRITY_MANIFEST_H
#define TZUCON_INTEGRITY_MANIFEST_H

#include <stdint.h>

#include "status.h"
#include "tzucon_abi.h"

namespace integrity {

// Views into a validated manifest; valid as long as its bytes are.
struct ManifestView {
  const tzu_kmanifest_hdr* hdr = nullptr;
  const tzu_kmanifest_region* regions = nullptr;
  const tzu_kmanifest_fixup* fixups = nullptr;
  uint32_t n_regions = 0;
  uint32_t n_fixups = 0;
  uint32_t size = 0;  // signature included
};

// Parses and verifies `m` (`len` bytes readable, 8-byte aligned, already a
// secure copy: the caller copies before it parses). kOk fills *out;
// kMalformed for any format rule, kAuth for the signature. *why, if
// given, names the rule that refused it (static text, for tests and logs).
ucon::Status parse_manifest(const uint8_t* m, uint32_t len,
                            const uint8_t policy_pub[32], ManifestView* out,
                            const char** why);

// Index of the first fixup with va >= `va` (n_fixups if none).
uint32_t first_fixup_at(const ManifestView& mv, uint32_t va);

}  // namespace integrity

#endif  // TZUCON_INTEGRITY_MANIFEST_H
