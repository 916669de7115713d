// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// emit.h - writes the signed binary policy blob (blob_format.h) for a
// validated Policy. Output depends only on the policy, the device and the
// key (Ed25519 signatures are deterministic).
#ifndef TZUCON_POLICY_COMPILER_EMIT_H
#define TZUCON_POLICY_COMPILER_EMIT_H

#include <cstdint>
#include <string>
#include <vector>

#include "ast.h"
#include "compiler.h"

namespace policyc {

// Lays out the blob for `device` (ignored with kPolicyAnyDevice) and signs
// it with the policy key. False (with *err) when the blob would exceed
// ucon::kMaxBlobBytes.
bool emit_blob(const Policy& p, const DeviceId& device, const KeyPair& key,
               std::vector<std::uint8_t>* out, std::string* err);

}  // namespace policyc

#endif  // TZUCON_POLICY_COMPILER_EMIT_H
