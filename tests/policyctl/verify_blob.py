#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# verify_blob.py - checks a policy blob from `policyctl compile` with an
# independent Ed25519 (python3-cryptography / OpenSSL): the signature trailer
# over blob[0..total-64) and the device id in the header.
#   verify_blob.py BLOB POLICY.pub DEVICE-ID-HEX|any
import hashlib
import struct
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

HEADER = 96
ANY_DEVICE = 0x10


def main():
    blob = open(sys.argv[1], "rb").read()
    text = open(sys.argv[2]).read().strip()
    assert text.startswith("ed25519-public:"), "not a public key file"
    pub = Ed25519PublicKey.from_public_bytes(bytes.fromhex(text[len("ed25519-public:"):]))
    magic, fmt, hsize, total = struct.unpack_from("<IHHI", blob, 0)
    assert magic == 0x42505A54 and fmt == 2 and hsize == HEADER, "bad header"
    assert total == len(blob), "total_size"
    try:
        pub.verify(blob[-64:], blob[:-64])
    except InvalidSignature:
        print("verify_blob: signature invalid")
        return 1
    flags = struct.unpack_from("<I", blob, 16)[0]
    device = blob[HEADER - 16:HEADER]
    want = sys.argv[3]
    if want == "any":
        ok = flags & ANY_DEVICE and device == bytes(16)
    else:
        ok = not flags & ANY_DEVICE and device.hex() == want
    print(f"verify_blob: signature valid, device {'any' if flags & ANY_DEVICE else device.hex()}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
