// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// expect.h - "expected is a subset of actual" comparison used by
// `policyctl test --expect`: every key present in the expected object must be
// present in the actual one with an equal value; nested objects compare the
// same way (so {"audit":{"index":0}} ignores the hash), arrays and scalars
// compare exactly. Keys absent from the expectation are not checked; a key
// whose expected value is null must be absent (or null) in the actual one,
// so {"audit":null} says "this decision appended no audit record".
#ifndef POLICYCTL_EXPECT_H
#define POLICYCTL_EXPECT_H

#include <string>
#include <vector>

#include "event_json.h"

namespace policyctl {

// Differences, one per message: "/verdict: expected \"deny\", got \"allow\"".
// Empty if `expected` is a subset of `actual`.
std::vector<std::string> subset_diff(const Json& expected, const Json& actual,
                                     const std::string& path = "");

}  // namespace policyctl

#endif  // POLICYCTL_EXPECT_H
