// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// limits.h - every limit of the engine, in one place (documented in
// docs/policy-language.md, tested at the boundary in tests/ucon_engine).
#ifndef UCON_ENGINE_LIMITS_H
#define UCON_ENGINE_LIMITS_H

#include <stdint.h>

namespace ucon {

constexpr uint32_t kMaxRules = 16384;        // rules per policy
constexpr uint32_t kMaxNodes = 262144;       // expression nodes per policy
constexpr uint32_t kMaxAttrs = 64;           // attribute declarations
constexpr uint32_t kMaxUpdates = 65536;      // update entries per policy
constexpr uint32_t kMaxUpdatesPerRule = 16;  // pre + post per rule
constexpr uint32_t kMaxExprDepth = 32;       // nesting of and/or/not
constexpr uint32_t kMaxSetMembers = 64;      // constant set size
constexpr uint32_t kMaxAttrSetMembers = 16;  // members of a set attribute
constexpr uint32_t kMaxBlobBytes = 4u << 20; // compiled policy size
constexpr uint32_t kMaxStringLen = 64;       // string/bytes constants

// Runtime capacities: defaults of EngineConfig; the arena must fit them.
constexpr uint32_t kDefaultAttrEntries = 1024;  // attribute instances
constexpr uint32_t kDefaultSessions = 256;      // live usage sessions
constexpr uint32_t kDefaultAuditRecords = 512;  // audit ring size

}  // namespace ucon

#endif  // UCON_ENGINE_LIMITS_H
