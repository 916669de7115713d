// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// fields.h - the event fields and hook names a policy can refer to. One table
// serves the compiler (names -> ids) and the engine (ids -> event bytes).
#ifndef UCON_ENGINE_FIELDS_H
#define UCON_ENGINE_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "tzucon_abi.h"

namespace ucon {

enum class FieldKind : uint8_t { kInt, kBytes, kString };

struct FieldInfo {
  uint16_t id;
  FieldKind kind;
  uint16_t offset;  // byte offset inside struct tzu_event
  uint16_t size;    // bytes (ints: 4 or 8; strings: array size)
  const char* name; // e.g. "subject.uid", "object.name"
};

// Every field, ordered by id; ids are dense from 0.
const FieldInfo* field_table(size_t* count);
const FieldInfo* field_by_id(uint32_t id);
const FieldInfo* field_by_name(const char* name, size_t len);

// Hook names ("file_mprotect", ...), index = TZU_HOOK_* value.
const char* hook_name(uint32_t hook);
uint32_t hook_by_name(const char* name, size_t len);  // TZU_HOOK_NONE if unknown

// Reads an integer field (zero-extended).
int64_t field_int(const struct tzu_event& ev, const FieldInfo& f);
// Bytes of a bytes/string field; strings stop at their first NUL.
const uint8_t* field_bytes(const struct tzu_event& ev, const FieldInfo& f,
                           uint32_t* len);

// 32- and 64-bit FNV-1a, used for name hashes and index keys.
uint32_t fnv1a32(const void* data, size_t len);
uint64_t fnv1a64(const void* data, size_t len);

}  // namespace ucon

#endif  // UCON_ENGINE_FIELDS_H
