// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// make_test_blobs.cc - writes the QEMU payload's policy blobs, signed with
// the image build's policy key for its device: `make_test_blobs KEYDIR
// OUTDIR` (KEYDIR as made by secure/monitor/gen_keys.py: policy.key,
// device.id) -> policy_v2.bin (the one to load) and policy_v1.bin (older:
// must be rejected as a rollback). For the pre-v2 calling convention a
// KEYDIR that is not a directory (the old device.key path) means the
// `keys` directory beside it.
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>

#include "test_policy.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: make_test_blobs KEYDIR OUTDIR\n");
    return 2;
  }
  try {
    namespace fs = std::filesystem;
    fs::path dir(argv[1]);
    if (!fs::is_directory(dir)) dir = dir.parent_path() / "keys";
    const auto key = monitor_test::read_key_file((dir / "policy.key").string());
    const auto device = monitor_test::read_device_id((dir / "device.id").string());
    for (std::uint32_t v : {1u, 2u}) {
      const auto blob = monitor_test::test_policy(v, key, device);
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
