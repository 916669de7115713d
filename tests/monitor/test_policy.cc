// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// test_policy.cc - builds the test policy with the engine tests' blob
// assembler (tests/ucon_engine/test_util.h), so it needs no JSON compiler.
#include "test_policy.h"

#include <fstream>
#include <stdexcept>

#include "blob_format.h"
#include "test_util.h"

namespace monitor_test {

std::vector<std::uint8_t> test_policy(std::uint32_t version,
                                      const std::vector<std::uint8_t>& key) {
  ucon_test::BlobBuilder b;
  b.version = version;
  const std::uint32_t target = b.field_eq("subject.tgid", kDenyTgid);
  ucon::BlobRule& r =
      b.rule(kDenyRule, TZU_HOOK_FILE_MPROTECT, ucon::kEffectDeny, target);
  r.flags |= ucon::kRuleAudit;
  return b.build(key);
}

std::vector<std::uint8_t> read_key_file(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  if (!in || !std::getline(in, text))
    throw std::runtime_error("cannot read key file '" + path + "'");
  if (text.size() != 64)
    throw std::runtime_error("key file '" + path + "' is not 64 hex chars");
  std::vector<std::uint8_t> key;
  for (std::size_t i = 0; i < 64; i += 2)
    key.push_back(static_cast<std::uint8_t>(
        std::stoul(text.substr(i, 2), nullptr, 16)));
  return key;
}

}  // namespace monitor_test
