// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// engine.h - the UCON_ABC engine facade: loads authenticated policy blobs and
// decides events. Portable C++17: no exceptions, RTTI, iostream or heap; all
// memory comes from one arena given to init(). Knows nothing of SMC, Linux or
// JSON. Not thread-safe: the caller (monitor) serialises calls.
//
// Decision rule (deny-overrides unless the policy says first-applicable):
//   0. lifecycle events end usage: USAGE_END ends one session (of the same
//      tgid), TASK_EXIT ends the process's sessions and forgets its per-tgid
//      attributes; both are in the interest mask when the policy has session
//      rules or per-tgid attributes, and are always allowed;
//   1. hook outside the interest mask  -> allow, TZU_DF_FILTERED;
//   2. candidate rules = the hook's rules (narrowed by the hook's index);
//      a rule matches when target and condition both hold;
//   3. deny-overrides: the first matching deny rule decides, else the first
//      matching permit, else the policy default (TZU_DF_DEFAULT);
//      first-applicable: the first matching rule decides;
//   4. the deciding rule's pre-updates run; then, if no session opens, its
//      post-updates (usage is instantaneous); with kRuleSession a permit opens
//      a session whose post-updates run when it ends;
//   5. attribute changes re-check the ongoing predicates of live sessions;
//      failing sessions are revoked (TZU_OBL_REVOKE, revoked[]);
//   6. mode: policy, rule or global permissive turns a deny into allow with
//      TZU_DF_PERMISSIVE|TZU_DF_WOULD_DENY and drops KILL/REVOKE obligations
//      (revocations are still reported, without TZU_OBL_REVOKE);
//   7. audited rules, permissive would-denies and decisions that revoked
//      sessions append to the hash-chained audit ring (revocations caused by
//      update_attr/end_usage calls are returned to the caller, not audited).
#ifndef UCON_ENGINE_ENGINE_H
#define UCON_ENGINE_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "audit_log.h"
#include "limits.h"
#include "status.h"
#include "tzucon_abi.h"

namespace ucon {

struct EngineConfig {
  uint32_t max_attr_entries = kDefaultAttrEntries;
  uint32_t max_sessions = kDefaultSessions;
  uint32_t audit_records = kDefaultAuditRecords;
  uint32_t max_blob_bytes = 256u << 10;  // per policy buffer (two kept)
};

// Sessions revoked by one call. Only the first TZU_MAX_REVOKE are listed;
// `total` counts all of them (the rest are in the audit log).
struct Revocations {
  uint32_t n = 0;
  uint32_t total = 0;
  uint32_t reason = 0;  // TZU_REVOKE_* of the first
  uint32_t ids[TZU_MAX_REVOKE] = {};
  uint32_t tgids[TZU_MAX_REVOKE] = {};
};

struct LoadResult {
  uint32_t epoch = 0;
  uint32_t policy_version = 0;
  uint32_t interest_mask = 0;
  uint32_t n_rules = 0;
  Revocations revoked;  // sessions whose rule the new policy dropped
};

// Optional evaluation trace (policyctl explain). Called synchronously.
struct Trace {
  void* ctx = nullptr;
  // rule considered: index into the policy's rules, and whether it matched
  void (*on_rule)(void* ctx, uint32_t rule_index, bool matched) = nullptr;
  // a node evaluated for that rule, with its result
  void (*on_node)(void* ctx, uint32_t rule_index, uint32_t node,
                  bool result) = nullptr;
};

class Policy;
class AttributeStore;
class SessionTable;
struct Session;

class Engine {
 public:
  // Bytes of arena init() needs for this configuration.
  static size_t arena_bytes(const EngineConfig& cfg);

  // key: device key for blob HMACs (copied). Fails with kLimit if the arena
  // is too small.
  Status init(void* arena, size_t arena_size, const EngineConfig& cfg,
              const uint8_t* key, size_t key_len);

  // Verifies HMAC, structure and version (>= active), then swaps atomically.
  // On any error the active policy is untouched.
  Status load_policy(const uint8_t* blob, size_t len, LoadResult* out);

  // Decides one event. Returns a non-ok status only for a malformed event
  // (then *out holds a deny with that status in hdr.status).
  Status decide(const struct tzu_event& ev, struct tzu_decision* out,
                const Trace* trace = nullptr);

  Status set_mode(uint32_t mode);  // TZU_MODE_*; kBadField if unknown
  uint32_t mode() const { return mode_; }

  // Updates a mutable attribute by name; re-checks live sessions.
  Status update_attr(const char* name, size_t name_len, uint32_t op,
                     uint64_t key, int64_t value, int64_t* new_value,
                     Revocations* rev);

  // Ends a usage session (runs the rule's post-updates); kNotFound if no
  // such live session.
  Status end_usage(uint32_t session_id, Revocations* rev);

  // Counts a request the caller rejected before reaching the engine.
  void count_error() { ++stats_.errors; }

  void stats(struct tzu_stats* out) const;
  const AuditLog& audit() const { return audit_; }
  const Policy* policy() const { return active_; }
  uint32_t epoch() const { return epoch_; }
  uint32_t interest_mask() const;
  uint32_t live_sessions() const;

 private:
  Status apply_updates(uint32_t first, uint32_t count,
                       const struct tzu_event& ev, bool* changed);
  void recheck_sessions(Revocations* rev);
  void revoke(struct Session* s, uint32_t reason, Revocations* rev);
  Status end_session(struct Session* s, Revocations* rev);
  void end_task(uint32_t tgid, Revocations* rev);
  uint32_t decide_rules(const struct tzu_event& ev, const Trace* trace,
                        uint32_t* permit_first) const;

  uint8_t key_[64] = {};
  size_t key_len_ = 0;
  Arena policy_arena_[2];
  int active_slot_ = -1;
  Policy* active_ = nullptr;
  AttributeStore* attrs_ = nullptr;
  SessionTable* sessions_ = nullptr;
  AuditLog audit_;
  EngineConfig cfg_;
  uint32_t epoch_ = 0;
  uint32_t mode_ = TZU_MODE_ENFORCE;
  struct tzu_stats stats_ = {};
};

}  // namespace ucon

#endif  // UCON_ENGINE_ENGINE_H
