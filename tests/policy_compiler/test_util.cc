// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// test_util.cc - helpers shared by the policy compiler tests.
#include "test_util.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace policyc_test {

policyc::Key test_key() {
  policyc::Key k;
  for (int i = 0; i < 32; ++i) k.push_back(static_cast<std::uint8_t>(i));
  return k;
}

policyc::KeyPair test_key_pair() {
  policyc::Key k = test_key();
  return policyc::key_pair_from_seed(k.data());
}

policyc::PublicKey test_pub() { return test_key_pair().pub; }

std::string policy(const std::string& rules, const std::string& attributes,
                   const std::string& extra) {
  std::string s =
      R"({"policy":"p","description":"d","version":1,"default":"permit",)";
  s += extra;
  if (!attributes.empty()) s += R"("attributes":)" + attributes + ",";
  s += R"("rules":[)" + rules + "]}";
  return s;
}

std::vector<std::string> errors_of(const policyc::CompileResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.errors) out.push_back(d.to_string());
  return out;
}

std::vector<std::string> warnings_of(const policyc::CompileResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.warnings) out.push_back(d.to_string());
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> shipped_policies() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(TZUCON_POLICY_DIR)) {
    if (e.is_regular_file() && e.path().extension() == ".json") {
      out.push_back(e.path().filename().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace policyc_test
