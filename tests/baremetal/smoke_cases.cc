// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// smoke_cases.cc - events for policies/kernel-integrity.json (run_smoke.sh
// compiles and signs it) and the decisions its rules imply; rule ids are
// the policy's own. Keep in step with that file.
#include "smoke_cases.h"

#include <string.h>

namespace smoke {
namespace {

constexpr uint32_t kOWronly = 01;  // Linux open flags

tzu_event event(uint32_t hook, uint64_t seq, uint32_t euid) {
  tzu_event ev;
  memset(&ev, 0, sizeof(ev));
  ev.hdr.magic = TZU_MAGIC;
  ev.hdr.version = TZU_ABI_VERSION;
  ev.hdr.command = TZU_CMD_DECIDE;
  ev.hdr.size = sizeof(ev);
  ev.seq = seq;
  ev.hook = hook;
  ev.subject.pid = ev.subject.tgid = 100u + static_cast<uint32_t>(seq);
  ev.subject.uid = ev.subject.euid = euid;
  memcpy(ev.subject.comm, "smoke", 6);
  return ev;
}

Case make(const char* name, const tzu_event& ev, uint32_t verdict,
          uint32_t rule, uint32_t flags, uint32_t unwanted,
          uint32_t obligations = 0) {
  return Case{name, ev, verdict, rule, flags, unwanted, obligations};
}

Case g_before[7];
Case g_after[3];
bool g_built = false;

void build() {
  tzu_event ev;
  ev = event(TZU_HOOK_BPF_PROG_LOAD, 1, 1000);
  g_before[0] = make("bpf load by euid 1000", ev, TZU_VERDICT_DENY, 30, 0,
                     TZU_DF_DEFAULT, TZU_OBL_AUDIT);
  ev = event(TZU_HOOK_BPF_PROG_LOAD, 2, 0);
  g_before[1] = make("bpf load by root", ev, TZU_VERDICT_ALLOW, 0,
                     TZU_DF_DEFAULT, 0);
  ev = event(TZU_HOOK_KERNEL_READ_FILE, 3, 0);
  ev.object.kind = TZU_LOAD_KEXEC_IMAGE;
  g_before[2] = make("kexec image from file", ev, TZU_VERDICT_DENY, 20, 0,
                     TZU_DF_DEFAULT, TZU_OBL_AUDIT);
  ev = event(TZU_HOOK_DEVMEM_OPEN, 4, 0);
  ev.object.flags = kOWronly;
  memcpy(ev.object.name, "mem", 4);
  g_before[3] = make("/dev/mem write open", ev, TZU_VERDICT_DENY, 10, 0,
                     TZU_DF_DEFAULT, TZU_OBL_AUDIT);
  ev.seq = 5;
  ev.object.flags = 0;
  g_before[4] = make("/dev/mem read-only open", ev, TZU_VERDICT_ALLOW, 0,
                     TZU_DF_DEFAULT, 0);
  ev = event(TZU_HOOK_MMAP_FILE, 6, 0);
  ev.object.prot = TZU_PROT_READ | TZU_PROT_EXEC;
  // File-backed: the policy's mmap rules (executable anonymous mappings)
  // do not match, the hook is in the interest mask: the default decides.
  g_before[5] = make("mmap of a file (no rule matches)", ev, TZU_VERDICT_ALLOW,
                     0, TZU_DF_DEFAULT, 0);
  ev = event(TZU_HOOK_KEY_ALLOC, 7, 0);
  ev.object.id = 4242;
  memcpy(ev.object.type, "user", 5);
  g_before[6] = make("key alloc (opens a session)", ev, TZU_VERDICT_ALLOW,
                     51, TZU_DF_SESSION_OPENED, TZU_DF_DEFAULT);

  ev = event(TZU_HOOK_KEY_ALLOC, 8, 0);
  ev.object.id = 4243;
  memcpy(ev.object.type, "user", 5);
  g_after[0] = make("key alloc after violation", ev, TZU_VERDICT_DENY, 50, 0,
                    TZU_DF_SESSION_OPENED | TZU_DF_DEFAULT, TZU_OBL_AUDIT);
  ev = event(TZU_HOOK_KERNEL_READ_FILE, 9, 0);
  ev.object.kind = TZU_LOAD_MODULE;
  memcpy(ev.object.name, "dummy", 6);
  g_after[1] = make("module load after violation", ev, TZU_VERDICT_DENY, 40,
                    0, TZU_DF_DEFAULT, TZU_OBL_AUDIT | TZU_OBL_REMEASURE);
  ev = event(TZU_HOOK_BPF_PROG_LOAD, 10, 0);
  g_after[2] = make("bpf load by root after violation", ev, TZU_VERDICT_ALLOW,
                    0, TZU_DF_DEFAULT, 0);
  g_built = true;
}

}  // namespace

const Case* before_violation(size_t* count) {
  if (!g_built) build();
  *count = sizeof(g_before) / sizeof(g_before[0]);
  return g_before;
}

const Case* after_violation(size_t* count) {
  if (!g_built) build();
  *count = sizeof(g_after) / sizeof(g_after[0]);
  return g_after;
}

}  // namespace smoke
