// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// fuzz_replay_main.cc - runs a libFuzzer target over corpus files without
// libFuzzer, so the corpus replays as ordinary ctest tests in every build.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size);

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_FILE...\n", argv[0]);
    return 2;
  }
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "cannot read '%s'\n", argv[i]);
      return 1;
    }
    std::vector<std::uint8_t> buf((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(buf.data(), buf.size());
    std::printf("replayed %s (%zu bytes)\n", argv[i], buf.size());
  }
  return 0;
}
