// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// test_policy.h - the signed test policy used by the monitor unit tests and
// by the QEMU payload test: rule 7 denies FILE_MPROTECT for tgid 666 (and is
// audited); everything else in its interest mask is permitted by default.
#ifndef TZUCON_TESTS_MONITOR_TEST_POLICY_H
#define TZUCON_TESTS_MONITOR_TEST_POLICY_H

#include <cstdint>
#include <string>
#include <vector>

namespace monitor_test {

constexpr std::uint32_t kDenyRule = 7;
constexpr std::uint32_t kDenyTgid = 666;

std::vector<std::uint8_t> test_policy(std::uint32_t version,
                                      const std::vector<std::uint8_t>& key);

// Reads a policyc key file (64 hex characters + newline). Throws on error.
std::vector<std::uint8_t> read_key_file(const std::string& path);

}  // namespace monitor_test

#endif  // TZUCON_TESTS_MONITOR_TEST_POLICY_H
