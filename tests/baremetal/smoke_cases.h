// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// smoke_cases.h - the events the bare-metal smoke test decides, with the
// decisions policies/kernel-integrity.json must give them (smoke_cases.cc).
#ifndef TZUCON_TESTS_BAREMETAL_SMOKE_CASES_H
#define TZUCON_TESTS_BAREMETAL_SMOKE_CASES_H

#include <stddef.h>
#include <stdint.h>

#include "tzucon_abi.h"

namespace smoke {

struct Case {
  const char* name;
  struct tzu_event event;
  uint32_t want_verdict;    // TZU_VERDICT_*
  uint32_t want_rule;       // deciding rule id, 0 = policy default
  uint32_t want_flags;      // TZU_DF_* that must be set
  uint32_t unwanted_flags;  // TZU_DF_* that must be clear
  uint32_t want_obligations;  // TZU_OBL_* that must be set
};

// The attribute the secure world sets when a kernel measurement fails.
constexpr char kIntegrityAttr[] = "integrity_state";

// Events decided while integrity is unknown; the last one opens a key-usage
// session that the violation must revoke. Built on first use (no global
// constructors).
const Case* before_violation(size_t* count);
// Events decided after integrity_state is set to TZU_INTEGRITY_VIOLATED.
const Case* after_violation(size_t* count);

}  // namespace smoke

#endif  // TZUCON_TESTS_BAREMETAL_SMOKE_CASES_H
