// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// test_files.h - a private temporary directory per test, and running
// policyctl's run_cli in process with captured output.
#ifndef TZUCON_TESTS_POLICYCTL_TEST_FILES_H
#define TZUCON_TESTS_POLICYCTL_TEST_FILES_H

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli.h"

namespace policyctl_test {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "policyctl.XXXXXX").string();
    if (!mkdtemp(tmpl.data())) std::abort();
    path_ = tmpl;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(file(name), std::ios::binary) << text;
    return file(name);
  }

 private:
  std::filesystem::path path_;
};

struct CliRun {
  int rc;
  std::string out;
  std::string err;
};

inline CliRun run_cli(const std::vector<std::string>& argv,
                      policyctl::Connector connect = policyctl::open_tee) {
  std::ostringstream out, err;
  policyctl::Context ctx{out, err, std::move(connect)};
  int rc = policyctl::run_cli(argv, ctx);
  return {rc, out.str(), err.str()};
}

}  // namespace policyctl_test

#endif  // TZUCON_TESTS_POLICYCTL_TEST_FILES_H
