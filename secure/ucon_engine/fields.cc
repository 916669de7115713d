// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// fields.cc - the field and hook tables shared by compiler and engine.
#include "fields.h"

#include <stddef.h>
#include <string.h>

namespace ucon {
namespace {

#define EV_FIELD(id, kind, member, name)                                   \
  {id, FieldKind::kind, static_cast<uint16_t>(offsetof(tzu_event, member)), \
   static_cast<uint16_t>(sizeof(static_cast<tzu_event*>(nullptr)->member)), name}

const FieldInfo kFields[] = {
    EV_FIELD(TZU_FIELD_HOOK, kInt, hook, "hook"),
    EV_FIELD(TZU_FIELD_SEQ, kInt, seq, "seq"),
    EV_FIELD(TZU_FIELD_FLAGS, kInt, flags, "flags"),
    EV_FIELD(TZU_FIELD_CPU, kInt, cpu, "cpu"),
    EV_FIELD(TZU_FIELD_PID, kInt, subject.pid, "subject.pid"),
    EV_FIELD(TZU_FIELD_TGID, kInt, subject.tgid, "subject.tgid"),
    EV_FIELD(TZU_FIELD_UID, kInt, subject.uid, "subject.uid"),
    EV_FIELD(TZU_FIELD_EUID, kInt, subject.euid, "subject.euid"),
    EV_FIELD(TZU_FIELD_GID, kInt, subject.gid, "subject.gid"),
    EV_FIELD(TZU_FIELD_EGID, kInt, subject.egid, "subject.egid"),
    EV_FIELD(TZU_FIELD_EXE_DEV, kInt, subject.exe_dev, "subject.exe_dev"),
    EV_FIELD(TZU_FIELD_EXE_INO, kInt, subject.exe_ino, "subject.exe_ino"),
    EV_FIELD(TZU_FIELD_EXE_SHA256, kBytes, subject.exe_sha256, "subject.exe_sha256"),
    EV_FIELD(TZU_FIELD_COMM, kString, subject.comm, "subject.comm"),
    EV_FIELD(TZU_FIELD_ADDR, kInt, object.addr, "object.addr"),
    EV_FIELD(TZU_FIELD_LEN, kInt, object.len, "object.len"),
    EV_FIELD(TZU_FIELD_PROT, kInt, object.prot, "object.prot"),
    EV_FIELD(TZU_FIELD_OLD_PROT, kInt, object.old_prot, "object.old_prot"),
    EV_FIELD(TZU_FIELD_OBJ_FLAGS, kInt, object.flags, "object.flags"),
    EV_FIELD(TZU_FIELD_KIND, kInt, object.kind, "object.kind"),
    EV_FIELD(TZU_FIELD_ID, kInt, object.id, "object.id"),
    EV_FIELD(TZU_FIELD_DEV, kInt, object.dev, "object.dev"),
    EV_FIELD(TZU_FIELD_INO, kInt, object.ino, "object.ino"),
    EV_FIELD(TZU_FIELD_MODE, kInt, object.mode, "object.mode"),
    EV_FIELD(TZU_FIELD_SHA256, kBytes, object.sha256, "object.sha256"),
    EV_FIELD(TZU_FIELD_TYPE, kString, object.type, "object.type"),
    EV_FIELD(TZU_FIELD_NAME, kString, object.name, "object.name"),
    EV_FIELD(TZU_FIELD_EXE_GEN, kInt, subject.exe_gen, "subject.exe_gen"),
    EV_FIELD(TZU_FIELD_START_TIME, kInt, subject.start_time, "subject.start_time"),
};
#undef EV_FIELD

constexpr size_t kFieldCount = sizeof(kFields) / sizeof(kFields[0]);
// Ids are the ABI's TZU_FIELD_* (bits of tzu_decision.cache_fields) and
// index this table (field_by_id); fields_test checks every entry's id.
static_assert(kFieldCount == TZU_FIELD_COUNT, "a row for every TZU_FIELD_*");

// One name per hook id: the size check makes a hook added to the ABI
// without a name a compile error, not a null pointer at run time.
const char* const kHookNames[] = {
    "none",          "mmap_file",      "file_mprotect",   "kernel_read_file",
    "kernel_load_data", "module_request", "bpf_prog_load", "devmem_open",
    "ptrace_access", "key_alloc",      "key_permission",  "alg_socket",
    "alg_bind",      "task_fix_setuid", "usage_end",      "task_exit",
    "key_free",
};
static_assert(sizeof(kHookNames) / sizeof(kHookNames[0]) == TZU_HOOK_COUNT,
              "a name for every TZU_HOOK_*");

bool name_equals(const char* name, const char* s, size_t len) {
  return strlen(name) == len && memcmp(name, s, len) == 0;
}

}  // namespace

const FieldInfo* field_table(size_t* count) {
  *count = kFieldCount;
  return kFields;
}

const FieldInfo* field_by_id(uint32_t id) {
  return id < kFieldCount ? &kFields[id] : nullptr;
}

const FieldInfo* field_by_name(const char* name, size_t len) {
  for (const FieldInfo& f : kFields) {
    if (name_equals(f.name, name, len)) return &f;
  }
  return nullptr;
}

const char* hook_name(uint32_t hook) {
  return hook < TZU_HOOK_COUNT ? kHookNames[hook] : nullptr;
}

uint32_t hook_by_name(const char* name, size_t len) {
  for (uint32_t h = 1; h < TZU_HOOK_COUNT; ++h) {
    if (name_equals(kHookNames[h], name, len)) return h;
  }
  return TZU_HOOK_NONE;
}

int64_t field_int(const tzu_event& ev, const FieldInfo& f) {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(&ev) + f.offset;
  if (f.size == 8) {
    uint64_t v;
    memcpy(&v, p, 8);
    return static_cast<int64_t>(v);
  }
  uint32_t v;
  memcpy(&v, p, 4);
  return static_cast<int64_t>(v);
}

const uint8_t* field_bytes(const tzu_event& ev, const FieldInfo& f,
                           uint32_t* len) {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(&ev) + f.offset;
  if (f.kind == FieldKind::kString) {
    const void* nul = memchr(p, 0, f.size);
    *len = nul ? static_cast<uint32_t>(static_cast<const uint8_t*>(nul) - p)
               : f.size;
  } else {
    *len = f.size;
  }
  return p;
}

uint32_t fnv1a32(const void* data, size_t len) {
  const uint8_t* p = static_cast<const uint8_t*>(data);
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < len; ++i) {
    h ^= p[i];
    h *= 16777619u;
  }
  return h;
}

uint64_t fnv1a64(const void* data, size_t len) {
  const uint8_t* p = static_cast<const uint8_t*>(data);
  uint64_t h = 14695981039346656037ull;
  for (size_t i = 0; i < len; ++i) {
    h ^= p[i];
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace ucon
