// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// replay_main.cc - runs a fuzz target over corpus files without libFuzzer,
// so ordinary builds replay the corpora as tests. Arguments are files or
// directories (every regular file inside, in name order).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

bool run_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "replay: cannot open %s\n", p.c_str());
    return false;
  }
  std::vector<std::uint8_t> data((std::istreambuf_iterator<char>(in)),
                                 std::istreambuf_iterator<char>());
  // A copy of exactly `size` bytes, so ASan catches reads past the input.
  std::vector<std::uint8_t> exact(data);
  LLVMFuzzerTestOneInput(exact.data(), exact.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t files = 0;
  for (int i = 1; i < argc; ++i) {
    std::filesystem::path arg(argv[i]);
    std::error_code ec;
    if (std::filesystem::is_directory(arg, ec)) {
      std::vector<std::filesystem::path> paths;
      for (const auto& e : std::filesystem::directory_iterator(arg)) {
        if (e.is_regular_file()) paths.push_back(e.path());
      }
      std::sort(paths.begin(), paths.end());
      for (const auto& p : paths) {
        if (!run_file(p)) return 1;
        ++files;
      }
    } else {
      if (!run_file(arg)) return 1;
      ++files;
    }
  }
  if (files == 0) {
    std::fprintf(stderr, "replay: no input files\n");
    return 1;  // an empty corpus would make the test pass vacuously
  }
  std::printf("replay: %zu inputs ran\n", files);
  return 0;
}
