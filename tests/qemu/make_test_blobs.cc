// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// make_test_blobs.cc - writes the QEMU payload's policy blobs, signed with a
// device key file: `make_test_blobs KEYFILE OUTDIR` -> policy_v2.bin (the
// one to load) and policy_v1.bin (older: must be rejected as a rollback).
#include <cstdio>
#include <exception>
#include <fstream>
#include <string>

#include "test_policy.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: make_test_blobs KEYFILE OUTDIR\n");
    return 2;
  }
  try {
    const auto key = monitor_test::read_key_file(argv[1]);
    for (std::uint32_t v : {1u, 2u}) {
      const auto blob = monitor_test::test_policy(v, key);
      const std::string path =
          std::string(argv[2]) + "/policy_v" + std::to_string(v) + ".bin";
      std::ofstream out(path, std::ios::binary);
      out.write(reinterpret_cast<const char*>(blob.data()),
                static_cast<std::streamsize>(blob.size()));
      if (!out) throw std::runtime_error("cannot write '" + path + "'");
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "make_test_blobs: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
