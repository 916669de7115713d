// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// test_util.h - helpers shared by the policy compiler tests.
#ifndef TZUCON_TESTS_POLICY_COMPILER_TEST_UTIL_H
#define TZUCON_TESTS_POLICY_COMPILER_TEST_UTIL_H

#include <string>
#include <vector>

#include "compiler.h"

namespace policyc_test {

// A fixed 32-byte policy signing seed (bytes 0, 1, ..., 31), its key pair
// and public key. compile(text, &test_key()) binds policies without
// "device" to policyc::kHostTestDevice.
policyc::Key test_key();
policyc::KeyPair test_key_pair();
policyc::PublicKey test_pub();

// A minimal valid policy around the given members: `attributes` is the JSON
// text of the attribute map ("" = none), `rules` the text of the rules array
// body. Everything is on one line, so columns are easy to count.
std::string policy(const std::string& rules, const std::string& attributes = "",
                   const std::string& extra = "");

// Every diagnostic rendered with to_string(), errors then warnings.
std::vector<std::string> errors_of(const policyc::CompileResult& r);
std::vector<std::string> warnings_of(const policyc::CompileResult& r);

std::string read_file(const std::string& path);
// Sorted *.json file names directly in TZUCON_POLICY_DIR.
std::vector<std::string> shipped_policies();

}  // namespace policyc_test

#endif  // TZUCON_TESTS_POLICY_COMPILER_TEST_UTIL_H
