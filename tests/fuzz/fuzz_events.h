// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// fuzz_events.h - a fixed spread of events over every hook, and the engine
// configuration the fuzz targets use (small, so each input runs fast).
#ifndef TZUCON_TESTS_FUZZ_EVENTS_H
#define TZUCON_TESTS_FUZZ_EVENTS_H

#include <cstdint>
#include <cstring>
#include <vector>

#include "engine.h"
#include "tzucon_abi.h"

namespace fuzz {

// The Ed25519 seed every fuzz blob is signed with (the harness signs).
inline const std::vector<std::uint8_t>& key() {
  static const std::vector<std::uint8_t> k(32, 0x5a);
  return k;
}

inline ucon::EngineConfig config() {
  ucon::EngineConfig c;
  c.max_attr_entries = 64;
  c.max_sessions = 16;
  c.audit_records = 16;
  c.max_blob_bytes = 64u << 10;
  return c;
}

// Two events per hook: a root subject touching "interesting" objects and
// an unprivileged one touching ordinary ones.
inline std::vector<tzu_event> events() {
  std::vector<tzu_event> out;
  for (std::uint32_t hook = 1; hook < TZU_HOOK_COUNT; ++hook) {
    for (std::uint32_t v = 0; v < 2; ++v) {
      tzu_event ev;
      std::memset(&ev, 0, sizeof(ev));
      ev.hdr.magic = TZU_MAGIC;
      ev.hdr.version = TZU_ABI_VERSION;
      ev.hdr.command = TZU_CMD_DECIDE;
      ev.hdr.size = sizeof(ev);
      ev.seq = out.size() + 1;
      ev.hook = hook;
      ev.flags = v ? 0 : TZU_EVF_EXE_DIGEST | TZU_EVF_OBJ_DIGEST;
      ev.subject.pid = ev.subject.tgid = 100 + v;
      ev.subject.uid = ev.subject.euid = v ? 1000 : 0;
      ev.subject.exe_dev = 8;
      ev.subject.exe_ino = 4242 + v;
      std::memset(ev.subject.exe_sha256, 0x11 * (v + 1), TZU_SHA256_LEN);
      std::strcpy(ev.subject.comm, v ? "sh" : "jit");
      ev.object.addr = 0x10000;
      ev.object.len = 4096;
      ev.object.prot = v ? TZU_PROT_READ : TZU_PROT_READ | TZU_PROT_EXEC;
      ev.object.old_prot = TZU_PROT_READ | TZU_PROT_WRITE;
      ev.object.kind = v ? TZU_LOAD_FIRMWARE : TZU_LOAD_MODULE;
      ev.object.id = v ? 7 : 1;  // also a session id for usage_end
      ev.object.flags = v ? 0x2 : 0x3f;
      std::memset(ev.object.sha256, 0x22 * (v + 1), TZU_SHA256_LEN);
      std::strcpy(ev.object.type, v ? "user" : "hash");
      std::strcpy(ev.object.name, v ? "md5" : "sha256");
      out.push_back(ev);
    }
  }
  return out;
}

}  // namespace fuzz

#endif  // TZUCON_TESTS_FUZZ_EVENTS_H
