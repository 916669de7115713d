#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# derive_hashes.py - recomputes this case's expected audit hashes from first
# principles, independently of policyctl and the engine: the events are packed
# by hand per abi/tzucon_abi.h (ABI version 5: struct tzu_event, 320 bytes),
# the decision fields are the hand-derived ones in notes.md, and the chain is
#   hash = SHA256(prev_hash || record bytes before the hash), prev of #0 = 0*32.
# Run it to print the {"index","hash"} objects used in expected.jsonl.
import hashlib
import json
import struct
import sys

TZU_MAGIC, ABI, CMD_DECIDE = 0x43555A54, 5, 3
HOOKS = {"devmem_open": 7, "bpf_prog_load": 6}


def pack_event(e):
    s, o = e.get("subject", {}), e.get("object", {})
    # tzu_subject (ABI 2): 8 u32 (pid .. exe_dev, exe_gen), exe_ino, start_time
    # (u64, the process identity with tgid; 0 in this trace), digest, comm.
    subj = struct.pack("<8IQQ32s16s", s.get("pid", 0), s.get("tgid", 0), s.get("uid", 0),
                       s.get("euid", 0), s.get("gid", 0), s.get("egid", 0),
                       s.get("exe_dev", 0), 0, s.get("exe_ino", 0), s.get("start_time", 0),
                       b"\0" * 32, s.get("comm", "").encode())
    obj = struct.pack("<QQ6IQII32s32s64s", o.get("addr", 0), o.get("len", 0), o.get("prot", 0),
                      o.get("old_prot", 0), o.get("flags", 0), o.get("kind", 0), o.get("id", 0),
                      o.get("dev", 0), o.get("ino", 0), o.get("mode", 0), 0, b"\0" * 32,
                      o.get("type", "").encode(), o.get("name", "").encode())
    body = struct.pack("<QIIII", e["seq"], HOOKS[e["hook"]], 0, 0, 0) + subj + obj
    hdr = struct.pack("<IHHII", TZU_MAGIC, ABI, CMD_DECIDE, 16 + len(body), 0)
    ev = hdr + body
    assert len(subj) == 96 and len(obj) == 184 and len(ev) == 320
    return ev


# seq -> (rule_id, verdict, decision flags, obligations, session), from notes.md
AUDITED = {1: (160, 1, 0x00, 0x1, 0), 3: (162, 0, 0x00, 0x1, 0),
           5: (160, 1, 0x00, 0x1, 0), 6: (161, 0, 0x41, 0x1, 0)}
EPOCH = 1

prev = b"\0" * 32
index = 0
with open(sys.argv[1] if len(sys.argv) > 1 else "trace.jsonl") as f:
    for line in f:
        e = json.loads(line)
        if "hook" not in e or e["seq"] not in AUDITED:
            continue
        rule, verdict, flags, obl, sess = AUDITED[e["seq"]]
        ev = pack_event(e)
        rec = struct.pack("<QQ32s8I", index, e["seq"], hashlib.sha256(ev).digest(), rule,
                          verdict, flags, EPOCH, HOOKS[e["hook"]], e["subject"]["tgid"], obl,
                          sess)
        prev = hashlib.sha256(prev + rec).digest()
        print(json.dumps({"seq": e["seq"], "audit": {"index": index, "hash": prev.hex()}}))
        index += 1
