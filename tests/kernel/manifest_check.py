#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# manifest_check.py - checks a kernel manifest against the memory of a
# running guest, independently of the secure world: reads physical memory
# through the QEMU monitor (pmemsave), translates every region's VA through
# the kernel's own swapper_pg_dir (ARMv7 short descriptors, as the secure
# world must), masks the manifest's fixup words and compares each region's
# SHA-256 with the manifest's. A region that differs is reported with its
# first differing word against vmlinux, so a false mismatch (a legitimate
# boot-time rewrite the manifest does not model) shows where it is.
#
#   manifest_check.py --monitor SOCK --manifest FILE [--vmlinux FILE]
#                     [--json OUT]
# Exit: 0 every digest region matches, 1 a mismatch or failure, 2 usage.
import argparse
import hashlib
import importlib.machinery
import importlib.util
import json
import os
import socket
import struct
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MKMANIFEST = os.path.join(HERE, "..", "..", "kernel", "manifest", "mkmanifest")


def load_mkmanifest():
    loader = importlib.machinery.SourceFileLoader("mkmanifest", MKMANIFEST)
    spec = importlib.util.spec_from_loader("mkmanifest", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


class Monitor:
    """The QEMU human monitor on a unix socket."""

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)
        self.s.settimeout(30)
        self._until_prompt()

    def _until_prompt(self):
        buf = b""
        while not buf.endswith(b"(qemu) "):
            chunk = self.s.recv(4096)
            if not chunk:
                raise RuntimeError("monitor closed")
            buf += chunk
        return buf

    def cmd(self, line):
        self.s.sendall(line.encode() + b"\n")
        return self._until_prompt().decode("utf-8", "replace")

    def read(self, pa, length):
        fd, path = tempfile.mkstemp(prefix="mcheck")
        os.close(fd)
        try:
            # quoted: HMP would parse "SIZE /path" as a division
            self.cmd(f'pmemsave {pa:#x} {length:#x} "{path}"')
            for _ in range(100):
                if os.path.getsize(path) == length:
                    break
                time.sleep(0.05)
            with open(path, "rb") as f:
                data = f.read()
        finally:
            os.unlink(path)
        if len(data) != length:
            raise RuntimeError(f"pmemsave {pa:#x}+{length:#x}: {len(data)} bytes")
        return data


def walk(mon, l1_pa, va):
    """(PA of VA, bytes mapped contiguously from there) through an ARMv7
    short-descriptor table at l1_pa."""
    (d1,) = struct.unpack("<I", mon.read(l1_pa + (va >> 20) * 4, 4))
    t = d1 & 3
    if t == 2:
        if d1 & (1 << 18):   # supersection, 16 MiB
            return (d1 & 0xFF000000) | (va & 0x00FFFFFF), 0x1000000 - (va & 0xFFFFFF)
        return (d1 & 0xFFF00000) | (va & 0x000FFFFF), 0x100000 - (va & 0xFFFFF)
    if t != 1:
        raise RuntimeError(f"VA {va:#x}: L1 descriptor {d1:#x} unmapped")
    l2 = d1 & 0xFFFFFC00
    (d2,) = struct.unpack("<I", mon.read(l2 + ((va >> 12) & 0xFF) * 4, 4))
    if d2 & 2:   # small page
        return (d2 & 0xFFFFF000) | (va & 0xFFF), 0x1000 - (va & 0xFFF)
    if d2 & 1:   # large page
        return (d2 & 0xFFFF0000) | (va & 0xFFFF), 0x10000 - (va & 0xFFFF)
    raise RuntimeError(f"VA {va:#x}: L2 descriptor {d2:#x} unmapped")


def read_va(mon, l1_pa, va, length):
    out = b""
    while length:
        pa, room = walk(mon, l1_pa, va)
        n = min(length, room)
        out += mon.read(pa, n)
        va += n
        length -= n
    return out


def main(argv):
    ap = argparse.ArgumentParser(prog="manifest_check")
    ap.add_argument("--monitor", required=True)
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--vmlinux")
    ap.add_argument("--json")
    a = ap.parse_args(argv)
    mk = load_mkmanifest()
    m = mk.parse(open(a.manifest, "rb").read())
    fixups = [(f["va"], f["mask"]) for f in m["fixups"]]
    elf = mk.Elf(open(a.vmlinux, "rb").read()) if a.vmlinux else None
    mon = Monitor(a.monitor)
    l1 = m["swapper_pg_dir"] - m["page_offset"] + m["phys_base"]
    results, bad = [], 0
    for r in m["regions"]:
        res = {"name": r["name"], "va": r["va"], "len": r["len"]}
        if not r["flags"] & mk.KMR_DIGEST:
            res["result"] = "no digest (at seal)"
            results.append(res)
            continue
        live = read_va(mon, l1, r["va"], r["len"])
        got = hashlib.sha256(mk.masked(live, r["va"], fixups)).hexdigest()
        res["result"] = "match" if got == r["sha256"] else "MISMATCH"
        if got != r["sha256"]:
            bad += 1
            if elf:
                pages = mk.vectors_pages(elf)
                want = mk.masked(mk.content(elf, r["name"], r["va"], r["len"],
                                            pages), r["va"], fixups)
                lm = mk.masked(live, r["va"], fixups)
                diffs = [i for i in range(0, r["len"], 4)
                         if lm[i:i + 4] != want[i:i + 4]]
                res["differing_words"] = len(diffs)
                res["first"] = [{"va": r["va"] + i,
                                 "live": lm[i:i + 4][::-1].hex(),
                                 "vmlinux": want[i:i + 4][::-1].hex()}
                                for i in diffs[:8]]
        results.append(res)
        print(f"manifest_check: {r['name']:<14} {r['va']:#010x} +{r['len']:#x}: "
              f"{res['result']}" +
              (f" ({res.get('differing_words')} words differ, first "
               f"{res['first'][:3]})" if "first" in res else ""))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)
    print(f"manifest_check: {len(results)} regions, {bad} mismatching")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
