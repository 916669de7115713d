#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# manifest_test.py - offline checks of kernel/manifest/mkmanifest on the
# vmlinux of build/kernel: the binary layout of abi/tzucon_abi.h (sizes,
# counts, alignment, no overlap, fixups sorted and inside digest regions),
# the Ed25519 signature under a throw-away key (and its failure after a
# flipped byte), the syscall table size against __NR_syscalls of the build,
# and that a byte changed in a copy of vmlinux changes exactly the digest of
# the region holding it while a change in a fixup's masked bits changes
# none.
#
#   manifest_test.py [BUILD_OBJ_DIR]     (default build/kernel/obj)
# Exit: 0 pass, 1 fail, 77 skipped (no vmlinux: run scripts/build-kernel).
import hashlib
import os
import re
import struct
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from manifest_check import load_mkmanifest  # noqa: E402

fails = 0


def check(ok, what):
    global fails
    print(f"manifest_test: {'ok' if ok else 'FAIL'}: {what}")
    if not ok:
        fails += 1


def main(argv):
    obj = argv[0] if argv else os.path.join(HERE, "..", "..", "build",
                                            "kernel", "obj")
    vmlinux = os.path.join(obj, "vmlinux")
    if not os.path.exists(vmlinux):
        print(f"manifest_test: SKIP: no {vmlinux} (run scripts/build-kernel)")
        return 77
    from cryptography.hazmat.primitives.asymmetric.ed25519 import \
        Ed25519PrivateKey
    from cryptography.exceptions import InvalidSignature
    mk = load_mkmanifest()
    seed = os.urandom(32)
    blob, info = mk.build(vmlinux, seed)
    m = mk.parse(blob)

    check(m["magic"] == 0x4D4B5A54 and m["version"] == 1, "magic and version")
    n, f = m["n_regions"], m["n_fixups"]
    check(m["size"] == len(blob) == 128 + 48 * n + 8 * f + 64,
          f"size {len(blob)} = 128 + 48*{n} + 8*{f} + 64")
    check(len(blob) <= 64 << 10 and n <= 16, "within TZU_KMANIFEST_MAX/_REGIONS")
    check(m["page_offset"] == 0xC0000000 and m["phys_base"] == 0,
          "page_offset 0xc0000000, phys_base 0")
    elf = mk.Elf(open(vmlinux, "rb").read())
    check(m["swapper_pg_dir"] == elf.sym("swapper_pg_dir"), "swapper_pg_dir")
    check(m["vmlinux_sha256"] ==
          hashlib.sha256(open(vmlinux, "rb").read()).hexdigest(),
          "vmlinux sha256")
    rel = open(os.path.join(obj, "include", "config", "kernel.release")).read()
    check(m["release"] == rel.strip(), f"release {m['release']}")

    pub = Ed25519PrivateKey.from_private_bytes(seed).public_key()
    body, sig = blob[:-64], blob[-64:]
    try:
        pub.verify(sig, body)
        check(True, "signature verifies over every byte before it")
    except InvalidSignature:
        check(False, "signature verifies")
    flipped = bytearray(body)
    flipped[200] ^= 1
    try:
        pub.verify(sig, bytes(flipped))
        check(False, "signature fails after a flipped byte")
    except InvalidSignature:
        check(True, "signature fails after a flipped byte")

    regs = sorted(m["regions"], key=lambda r: r["va"])
    check(all(r["va"] % 4 == 0 and r["len"] % 4 == 0 and r["len"] for r in regs),
          "regions 4-byte aligned, non-empty")
    check(all(a["va"] + a["len"] <= b["va"] for a, b in zip(regs, regs[1:])),
          "regions do not overlap")
    kinds = [r["name"] for r in m["regions"]]
    check(kinds == ["text", "syscall_table", "text", "rodata", "ro_after_init",
                    "rodata", "ex_table", "vectors", "stubs"],
          f"region kinds {kinds}")
    check(all((r["flags"] == 2) == (r["name"] == "ro_after_init") and
              r["flags"] in (1, 2) for r in m["regions"]),
          "ro_after_init AT_SEAL without digest, others DIGEST")
    text_lo = elf.sym("_stext")
    text_hi = elf.sym("_etext")
    text = [r for r in m["regions"] if r["name"] in ("text", "syscall_table")]
    check(text[0]["va"] == text_lo and
          text[-1]["va"] + text[-1]["len"] == text_hi and
          all(a["va"] + a["len"] == b["va"] for a, b in zip(text, text[1:])),
          "text + syscall_table cover [_stext, _etext) exactly")
    hdr = open(os.path.join(obj, "arch", "arm", "include", "generated", "asm",
                            "unistd-nr.h")).read()
    nr = int(re.search(r"#define __NR_syscalls (\d+)", hdr).group(1))
    sct = next(r for r in m["regions"] if r["name"] == "syscall_table")
    check(sct["va"] == elf.sym("sys_call_table") and sct["len"] == nr * 4,
          f"syscall_table = {nr} x 4 bytes at sys_call_table")
    vas = [x["va"] for x in m["fixups"]]
    check(vas == sorted(vas) and len(set(vas)) == len(vas), "fixups sorted, unique")
    dig = [r for r in m["regions"] if r["flags"] & 1]
    check(all(x["mask"] == 0xFFF and x["va"] % 4 == 0 and
              any(r["va"] <= x["va"] < r["va"] + r["len"] for r in dig)
              for x in m["fixups"]),
          f"{f} fixups (of {info['pv_stubs']} pv stubs), mask 0xfff, in digest regions")

    # Tamper a copy of vmlinux: one text byte away from fixups, then only
    # the masked bits of one fixup word.
    raw = bytearray(open(vmlinux, "rb").read())
    sec = elf.section(".text")

    def file_off(va):
        return sec["off"] + va - sec["addr"]

    fix = set(vas)
    big = max((r for r in m["regions"] if r["name"] == "text"),
              key=lambda r: r["len"])
    victim = next(va for va in range(big["va"] + 0x1000, big["va"] + big["len"], 4)
                  if va not in fix)
    with tempfile.TemporaryDirectory() as d:
        def digests_of(data):
            p = os.path.join(d, "vmlinux")
            open(p, "wb").write(data)
            mm = mk.parse(mk.build(p, None)[0])
            return [r["sha256"] for r in mm["regions"]]

        base = [r["sha256"] for r in m["regions"]]
        t = bytearray(raw)
        t[file_off(victim)] ^= 0x01
        got = digests_of(bytes(t))
        changed = [m["regions"][i]["name"] for i in range(n) if got[i] != base[i]]
        check(changed == ["text"] and got[m["regions"].index(big)] !=
              base[m["regions"].index(big)],
              f"one byte at {victim:#x} changes only that text digest")
        fva = next(x for x in vas if big["va"] <= x < big["va"] + big["len"])
        t = bytearray(raw)
        (w,) = struct.unpack_from("<I", t, file_off(fva))
        struct.pack_into("<I", t, file_off(fva), w ^ 0x0000003C)
        check(digests_of(bytes(t)) == base,
              f"a change inside the mask of fixup {fva:#x} changes no digest")
        t = bytearray(raw)
        struct.pack_into("<I", t, file_off(fva), w ^ 0x00001000)
        check(digests_of(bytes(t)) != base,
              f"a change outside the mask of fixup {fva:#x} is seen")
    if fails:
        print(f"manifest_test: {fails} check(s) failed")
        return 1
    print("manifest_test: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
