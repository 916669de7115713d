#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# seed_corpora.py - (re)creates the hand-made seeds of the fuzz corpora:
#   corpus/policy_json/seed-*   shipped and corpus policies, malformed JSON
#   corpus/policy_blob/seed-*   compiled blob bodies (signature stripped: the
#                               fuzz harness binds its device and appends a
#                               valid Ed25519 signature), truncated and with
#                               corrupted header/table fields
# Files the fuzzer found (other names) are left alone.
#
#   seed_corpora.py --policyctl build/c-host/userspace/policyctl/policyctl
import argparse
import hashlib
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
# BlobHeader of secure/ucon_engine/blob_format.h (checked against the
# header_size field of every compiled blob below).
HDR = struct.Struct("<IHHIII" + "2I" * 7 + "I" + "16s")
assert HDR.size == 96
SIG_LEN = 64  # Ed25519 trailer

POLICIES = sorted(
    [os.path.join(ROOT, "policies", f) for f in os.listdir(os.path.join(ROOT, "policies"))
     if f.endswith(".json")] +
    [os.path.join(ROOT, "tests", "corpus", d, "policy.json")
     for d in ["key_session_revoke", "key_owner", "post_update_end_usage", "afalg_allowlist",
               "wx_jit_allowlist", "combining_first_applicable", "permissive_policy",
               "default_deny", "attr_limit"]])

MALFORMED_JSON = {
    "empty": b"",
    "open-brace": b"{",
    "array": b"[]",
    "null": b"null",
    "trailing-comma": b'{"policy":"a","description":"d","version":1,"default":"permit","rules":[],}',
    "wrong-types": b'{"policy":7,"description":[],"version":"1","default":true,"rules":{}}',
    "unknown-hook": b'{"policy":"a","description":"d","version":1,"default":"permit","rules":'
                    b'[{"id":1,"name":"r","hook":"reboot","effect":"deny"}]}',
    "huge-int": b'{"policy":"a","description":"d","version":1e400,"default":"permit","rules":[]}',
    "bad-utf8": b'{"policy":"a\xff\xfe","description":"d","version":1,"default":"permit","rules":[]}',
    "bom": b'\xef\xbb\xbf{"policy":"a","description":"d","version":1,"default":"permit","rules":[]}',
    "dup-keys": b'{"policy":"a","policy":"b","description":"d","version":1,"default":"permit",'
                b'"rules":[]}',
    "deep-not": (b'{"policy":"a","description":"d","version":1,"default":"permit","rules":'
                 b'[{"id":1,"name":"r","hook":"devmem_open","effect":"deny","when":' +
                 b'{"not":' * 40 + b'true' + b'}' * 40 + b'}]}'),
    "big-set": (b'{"policy":"a","description":"d","version":1,"default":"permit","rules":'
                b'[{"id":1,"name":"r","hook":"devmem_open","effect":"deny","when":'
                b'{"field":"object.id","in":[' + b",".join(b"%d" % i for i in range(70)) +
                b']}}]}'),
    "long-string": (b'{"policy":"a","description":"d","version":1,"default":"permit","rules":'
                    b'[{"id":1,"name":"r","hook":"alg_bind","effect":"deny","when":'
                    b'{"field":"object.name","eq":"' + b"x" * 70 + b'"}}]}'),
    "update-cycle": (b'{"policy":"a","description":"d","version":1,"default":"permit",'
                     b'"attributes":{"a":{"scope":"global"},"b":{"scope":"global"}},"rules":['
                     b'{"id":1,"name":"r1","hook":"key_permission","effect":"permit",'
                     b'"session":true,"ongoing":{"attr":"a","eq":0},'
                     b'"post_update":[{"attr":"b","op":"add","value":1}]},'
                     b'{"id":2,"name":"r2","hook":"key_alloc","effect":"permit",'
                     b'"session":true,"ongoing":{"attr":"b","eq":0},'
                     b'"post_update":[{"attr":"a","op":"add","value":1}]}]}'),
    "set-attr-ops": (b'{"policy":"a","description":"d","version":1,"default":"deny",'
                     b'"attributes":{"s":{"scope":"subject","key":"exe","type":"set"}},'
                     b'"rules":[{"id":1,"name":"r","hook":"mmap_file","effect":"permit",'
                     b'"when":{"field":"object.ino","in":{"attr":"s"}},'
                     b'"pre_update":[{"attr":"s","op":"insert","field":"object.ino"}]},'
                     b'{"id":2,"name":"q","hook":"task_fix_setuid","effect":"permit",'
                     b'"when":{"attr":"s","present":false},'
                     b'"post_update":[{"attr":"s","op":"clear"}]}]}'),
}


def compile_body(policyctl, path, key, tmp):
    out = os.path.join(tmp, "b.blob")
    subprocess.run([policyctl, "compile", path, "-o", out, "--key", key], check=True,
                   stdout=subprocess.DEVNULL)
    with open(out, "rb") as f:
        return f.read()[:-SIG_LEN]  # the harness appends its own signature


def corruptions(body):
    """Blob bodies with one structural field broken (all else intact)."""
    h = list(HDR.unpack_from(body))
    names = ["magic", "format_version", "header_size", "total_size", "policy_version", "flags",
             "n_rules", "rules_off", "n_nodes", "nodes_off", "n_kids", "kids_off", "n_attrs",
             "attrs_off", "n_updates", "updates_off", "pool_size", "pool_off", "name_off",
             "name_len", "reserved", "device_id"]
    assert h[names.index("header_size")] == HDR.size, "blob_format.h changed"
    out = {}
    for field, value in [("magic", 0x12345678), ("format_version", 3), ("header_size", 80),
                         ("total_size", len(body)), ("n_rules", 0xffff), ("rules_off", 3),
                         ("n_nodes", h[names.index("n_nodes")] + 1), ("kids_off", 0xfffffff0),
                         ("pool_size", 0xffffffff), ("name_len", 0x10000), ("flags", 0xff),
                         ("reserved", 1)]:
        g = list(h)
        g[names.index(field)] = value
        out["hdr-" + field] = HDR.pack(*g) + body[HDR.size:]
    # First node's op out of range, first rule's target pointing past the nodes.
    nodes_off = h[names.index("nodes_off")]
    if h[names.index("n_nodes")] and nodes_off + 16 <= len(body):
        b = bytearray(body)
        b[nodes_off] = 0xee
        out["node-bad-op"] = bytes(b)
    rules_off = h[names.index("rules_off")]
    if h[names.index("n_rules")] and rules_off + 56 <= len(body):
        b = bytearray(body)
        struct.pack_into("<I", b, rules_off + 12, h[names.index("n_nodes")] + 5)
        out["rule-bad-target"] = bytes(b)
    out["truncated-header"] = body[:40]
    out["truncated-half"] = body[:len(body) // 2]
    return out


def write(dirname, name, data):
    os.makedirs(dirname, exist_ok=True)
    with open(os.path.join(dirname, "seed-" + name), "wb") as f:
        f.write(data)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--policyctl", required=True)
    args = ap.parse_args()
    jdir = os.path.join(HERE, "corpus", "policy_json")
    bdir = os.path.join(HERE, "corpus", "policy_blob")
    for d in (jdir, bdir):
        if os.path.isdir(d):
            for f in os.listdir(d):
                if f.startswith("seed-"):
                    os.remove(os.path.join(d, f))
    with tempfile.TemporaryDirectory() as tmp:
        key = os.path.join(tmp, "k")
        with open(key, "w") as f:  # fuzz::key(), policyctl key file format
            f.write("ed25519-private:" + "5a" * 32 + "\n")
        for p in POLICIES:
            tag = os.path.basename(os.path.dirname(p)) if p.endswith("policy.json") else \
                os.path.splitext(os.path.basename(p))[0]
            with open(p, "rb") as f:
                write(jdir, tag + ".json", f.read())
            body = compile_body(args.policyctl, p, key, tmp)
            write(bdir, tag, body)
            if tag == "kernel-integrity":
                for name, data in corruptions(body).items():
                    write(bdir, tag + "-" + name, data)
    for name, data in MALFORMED_JSON.items():
        write(jdir, "bad-" + name + ".json", data)
    write(bdir, "empty", b"")
    print("seeds:", len(os.listdir(jdir)), "json,", len(os.listdir(bdir)), "blob")


if __name__ == "__main__":
    sys.exit(main())
