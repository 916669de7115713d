#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# ed25519_diff.py - differential test of the engine's Ed25519 against
# OpenSSL (python3-cryptography): random keys and messages, both signing
# directions, and mutated signatures that both sides must refuse.
#
#   ed25519_diff.py <path to ed25519_tool> [--cases N] [--seed S]
#
# Ed25519 signatures are deterministic, so besides cross-verifying we demand
# byte-identical public keys and signatures. Exit 0 on agreement, 1 on any
# disagreement (the first few are printed), 2 if the tool itself fails.
import argparse
import random
import subprocess
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey, Ed25519PublicKey)

L = 2**252 + 27742317777372353535851937790883648493


def ossl_verify(pub, msg, sig):
    try:
        Ed25519PublicKey.from_public_bytes(pub).verify(sig, msg)
        return True
    except InvalidSignature:
        return False


def mutate(rng, sig):
    """A signature that must not verify: a flipped bit, or S + L."""
    s = bytearray(sig)
    if rng.random() < 0.2:
        big_s = int.from_bytes(s[32:], "little") + L
        s[32:] = big_s.to_bytes(32, "little")
    else:
        bit = rng.randrange(512)
        s[bit // 8] ^= 1 << (bit % 8)
    return bytes(s)


def make_cases(rng, n):
    cases = []
    for _ in range(n):
        seed = rng.randbytes(32)
        msg = rng.randbytes(rng.randint(0, 4096))
        key = Ed25519PrivateKey.from_private_bytes(seed)
        pub = key.public_key().public_bytes(serialization.Encoding.Raw,
                                            serialization.PublicFormat.Raw)
        sig = key.sign(msg)
        cases.append((seed, msg, pub, sig, mutate(rng, sig)))
    return cases


def run_tool(tool, cases):
    lines = []
    for seed, msg, pub, sig, bad in cases:
        m = msg.hex() or "-"
        lines.append(f"pub {seed.hex()}")
        lines.append(f"sign {seed.hex()} {m}")
        lines.append(f"verify {pub.hex()} {m} {sig.hex()}")
        lines.append(f"verify {pub.hex()} {m} {bad.hex()}")
    proc = subprocess.run([tool], input="\n".join(lines) + "\n", capture_output=True,
                          text=True, check=False)
    out = proc.stdout.split()
    if proc.returncode != 0 or len(out) != len(lines):
        sys.stderr.write(f"ed25519_diff: tool failed (rc {proc.returncode}, "
                         f"{len(out)}/{len(lines)} answers): {proc.stderr}\n")
        sys.exit(2)
    return [out[i:i + 4] for i in range(0, len(out), 4)]


def compare(cases, answers):
    errors = []
    for i, ((seed, msg, pub, sig, bad), (our_pub, our_sig, ok, bad_ok)) in \
            enumerate(zip(cases, answers)):
        where = f"case {i} (seed {seed.hex()}, msg len {len(msg)})"
        if our_pub != pub.hex():
            errors.append(f"{where}: public key {our_pub} != openssl {pub.hex()}")
        if our_sig != sig.hex():
            errors.append(f"{where}: signature {our_sig} != openssl {sig.hex()}")
        if not ossl_verify(pub, msg, bytes.fromhex(our_sig)):
            errors.append(f"{where}: openssl rejects our signature")
        if ok != "1":
            errors.append(f"{where}: we reject openssl's signature")
        ossl_bad = ossl_verify(pub, msg, bad)
        if bad_ok != "0" or ossl_bad:
            errors.append(f"{where}: mutated {bad.hex()} accepted "
                          f"(ours {bad_ok}, openssl {int(ossl_bad)})")
    return errors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tool")
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    print(f"ed25519_diff: {args.cases} cases, --seed {seed}")
    rng = random.Random(seed)
    cases = make_cases(rng, args.cases)
    errors = compare(cases, run_tool(args.tool, cases))
    for e in errors[:10]:
        print(e)
    if errors:
        print(f"ed25519_diff: FAILED, {len(errors)} disagreements (--seed {seed})")
        return 1
    print("ed25519_diff: all cases agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
