// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// policy_gen.h - synthetic but realistic JSON policies of a given size for
// the engine benchmarks, and events that hit or miss their rules.
#ifndef TZUCON_TESTS_BENCH_POLICY_GEN_H
#define TZUCON_TESTS_BENCH_POLICY_GEN_H

#include <cstdint>
#include <string>
#include <vector>

#include "tzucon_abi.h"

namespace bench {

// Rule families of the indexed policy, in the style of policies/*.json.
//   module:   kernel_read_file, deny a module by content digest (a blocklist
//             of known-vulnerable drivers): all[object.kind == module,
//             object.sha256 == D]                              40% of rules
//   key:      key_permission, deny per-command access to "logon" keys:
//             all[subject.comm == C, object.type == "logon"]   30%
//   mprotect: file_mprotect, deny exec mprotect per executable inode:
//             all[subject.exe_ino == I, object.prot & exec]    the rest
// plus two fixed rules on other hooks (devmem writes, unprivileged BPF).
enum class Family { kModule, kKey, kMprotect };

struct GeneratedPolicy {
  std::string json;
  std::uint32_t n_module = 0, n_key = 0, n_mprotect = 0;
  std::uint32_t first_module_id = 0, first_key_id = 0, first_mprotect_id = 0;
};

GeneratedPolicy indexed_policy(std::uint32_t n_rules);

// n_rules on bpf_prog_load with uid ranges: nothing for the engine's hash
// index to use, so every rule is evaluated (the linear worst case).
std::string unindexed_policy(std::uint32_t n_rules);

// n_rules on bpf_prog_load, rule k: object.flags bits_all
// (1 << k % 24 | 1 << (24 + k % 7)): bit tests, the other unhashable shape.
std::string bit_policy(std::uint32_t n_rules);
// Event whose flags are (1 << bit) | (1 << (24 + hi)): rule k matches when
// k % 24 == bit and k % 7 == hi; bit >= 24 matches no rule.
tzu_event bit_event(std::uint32_t bit, std::uint32_t hi);
// bpf_prog_load event whose uid is in rule k's range of unindexed_policy.
tzu_event unindexed_hit_event(std::uint32_t k);

// Process-exit policy: file_mprotect permits open sessions and count a
// per-process attribute; key_permission counts two per-process attributes
// (so 1,000 processes hold 2,000 entries).
std::string exit_policy();

// Attribute policy: global integrity_state, per-process key_uses, and
// key_alloc opening sessions whose ongoing predicate reads integrity_state.
std::string attribute_policy();

tzu_event base_event(std::uint32_t hook);
// Event matching rule k (0-based) of a family (k < that family's count).
tzu_event hit_event(Family f, std::uint32_t k);
// Event of the family's hook that no rule of the family matches.
tzu_event miss_event(Family f, std::uint32_t salt);
// bpf_prog_load event whose uid is in no rule's range.
tzu_event unindexed_miss_event();

}  // namespace bench

#endif  // TZUCON_TESTS_BENCH_POLICY_GEN_H
