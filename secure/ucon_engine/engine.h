// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// engine.h - the UCON_ABC engine facade: loads authenticated policy blobs and
// decides events. Portable C++17: no exceptions, RTTI, iostream or heap; all
// memory comes from one arena given to init(). Knows nothing of SMC, Linux or
// JSON. Not thread-safe: the caller (monitor) serialises calls.
//
// Authority: the engine changes what it enforces only through (1) a policy
// blob signed with the policy key, bound to this device and not older than
// the rollback floor (stage_policy/commit_policy), (2) admin-written
// attributes and mode changes that the caller (the monitor) has already
// authorized, and (3) secure-written attributes set from the secure world's
// own measurements. Everything else is an event.
//
// Decision rule (deny-overrides unless the policy says first-applicable):
//   0. lifecycle events end usage and are always allowed: USAGE_END ends one
//      session (of the same process), TASK_EXIT ends the process's non-key
//      sessions and forgets its per-process attributes, KEY_FREE ends the
//      key's sessions and forgets the attributes keyed by its serial (key
//      sessions live as long as the key, not as the process that made it);
//   1. hook outside the interest mask  -> allow, TZU_DF_FILTERED;
//   2. candidate rules = the hook's rules (narrowed by the hook's index);
//      a rule matches when target and condition both hold;
//   3. deny-overrides: the first matching deny rule decides, else the first
//      matching permit, else the policy default (TZU_DF_DEFAULT);
//      first-applicable: the first matching rule decides;
//   4. an audited decision that the ring cannot record (fail-closed audit,
//      ring full of undrained records) is denied before any update runs
//      (TZU_DF_AUDIT_FULL);
//   5. the deciding rule's pre-updates run; then, if no session opens, its
//      post-updates (usage is instantaneous); with kRuleSession a permit opens
//      a session whose post-updates run when it ends;
//   6. attribute changes re-check the ongoing predicates of live sessions;
//      failing sessions are revoked (TZU_OBL_REVOKE, revoked[]);
//   7. mode: policy, rule or global permissive turns a deny into allow with
//      TZU_DF_PERMISSIVE|TZU_DF_WOULD_DENY and drops KILL/REVOKE obligations
//      (revocations are still reported, without TZU_OBL_REVOKE);
//   8. audited rules, permissive would-denies and decisions that revoked
//      sessions append to the hash-chained audit ring;
//   9. cache marking (docs/kernel.md, "Decision cache"): a decision is
//      TZU_DF_CACHEABLE only if repeating it could change nothing and no
//      one would miss it: a non-lifecycle hook in the interest mask, status
//      ok, no obligation (so no audit, kill, revoke, notify, remeasure), no
//      session opened or revoked, a deciding rule (if any) without session,
//      audit or pre/post-updates, no engine limit or full audit ring, no
//      permissive would-deny, no attribute change during the decision, and
//      a hook whose rules read neither seq nor cpu. cache_fields is the
//      hook's field set (Policy::hook_fields), cache_epoch the hook's cache
//      epoch after the decision. TZU_DF_TASK_STATE: the deciding rule can leave
//      state for the subject's process (Policy::touches_process).
//
//  10. use-leases (docs/kernel.md, "Use-leases"): a permit that is not
//      cacheable only because its rule's one pre-update adds a constant c > 0
//      to a leasable attribute X (Policy::lease_attrs) may come with a lease
//      of L more uses (TZU_DF_LEASE), for the CPU that asked: all else as in
//      step 9 (TZU_DF_TASK_STATE allowed), the hook's epoch unmoved. X's
//      comparisons keep their truth from the value v this decision saw up
//      to v + (L + 1)c (L at most TZU_LEASE_MAX_USES), so no rule of any
//      hook can tell those values apart; L is half the uses that range
//      leaves (at least 1), so other entries and CPUs still get some; the
//      engine charges all L uses at once, without moving an epoch. The lease ends when its CPU's next
//      grant needs the word, or when the epoch of the holder's hook or of a
//      hook reading X moves (reap_leases(), after every call that can move
//      one; a policy commit ends all first): the word is exchanged for 0,
//      and the uses the kernel did not take are refunded. The kernel counts
//      a use only while the word holds the ticket (one compare-and-swap), so
//      every use is counted exactly once, by one side. A kernel that lies
//      about the word can only under-report uses it could equally not have
//      reported (skip the hook); it can never make the engine refund more
//      than it charged.
//
// Cache epoch (cache_epoch()): moves on with every policy commit, mode
// change, audit-overflow change and every write to the attribute table
// (AttributeStore::generation: creations, value changes, erasures, remaps,
// whoever caused them: rules, admin, the secure world's measurements,
// session ends and revocations, process exits, key frees). Session opens
// and closes without attribute updates do not move it: no rule reads the
// session table. Never 0, so 0 can mean "no epoch" to the kernel.
// Per hook (cache_epoch(hook), what decisions carry and the window
// publishes): the same but for attribute writes, which move only the hooks
// whose rules read that attribute (Policy::attr_readers,
// AttributeStore::hook_generation); policy commits, mode and overflow
// changes and remaps move every hook.
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

// Highest policy accepted so far. A blob passes if its version is above
// the floor, or equal to it and byte-identical (a reload of the same blob).
struct RollbackFloor {
  uint32_t version = 0;
  bool set = false;
  uint8_t digest[32] = {};
};
bool rollback_allows(const RollbackFloor& floor, uint32_t version,
                     const uint8_t digest[32]);

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
  uint8_t digest[32] = {};  // SHA-256 of the blob
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

// The use-lease words the kernel shares (tzucon_abi.h,
// TZU_SLOT_LEASE_OFFSET), as the caller maps them. Without them (n_cpus 0)
// the engine grants no lease.
struct LeaseWords {
  void* ctx = nullptr;
  // Atomically replaces word `slot` of CPU `cpu`'s slot with `value` and
  // returns the word it held.
  uint32_t (*exchange)(void* ctx, uint32_t cpu, uint32_t slot,
                       uint32_t value) = nullptr;
  uint32_t n_cpus = 0;
};

// Engine-internal lease figures (tests, status).
struct LeaseStats {
  uint64_t granted = 0;
  uint64_t closed = 0;
  uint64_t uses_granted = 0;   // sum of L
  uint64_t uses_taken = 0;     // reported in the words at close
  uint64_t uses_refunded = 0;
  uint64_t uses_dropped = 0;   // not taken, but their entry was gone
  uint64_t foreign_words = 0;  // a word at close that was not the lease's
};

class Policy;
struct BlobRule;
class AttributeStore;
class SessionTable;
struct Session;

class Engine {
 public:
  // Bytes of arena init() needs for this configuration.
  static size_t arena_bytes(const EngineConfig& cfg);

  // policy_pub: Ed25519 public key blobs must be signed with; device_id:
  // this device (blobs bound to another are refused). Both copied. Fails
  // with kLimit if the arena is too small.
  Status init(void* arena, size_t arena_size, const EngineConfig& cfg,
              const uint8_t policy_pub[32], const uint8_t device_id[16]);

  // Policy swap in two steps, so the caller can persist the new rollback
  // floor in between. stage_policy copies the blob into the inactive slot,
  // verifies signature, device binding, structure and (unless `boot`) the
  // rollback floor; the active policy is untouched whatever it returns.
  // commit_policy makes the staged policy active (nothing can fail then);
  // a boot policy does not move the floor.
  Status stage_policy(const uint8_t* blob, size_t len, bool boot,
                      LoadResult* out);
  void commit_policy(LoadResult* out);
  // stage + commit (host tools and tests; the monitor persists in between).
  Status load_policy(const uint8_t* blob, size_t len, LoadResult* out);
  void set_floor(const RollbackFloor& f) { floor_ = f; }
  const RollbackFloor& floor() const { return floor_; }
  bool boot_policy_active() const { return boot_active_; }

  // Decides one event. Returns a non-ok status only for a malformed event
  // (then *out holds a deny with that status in hdr.status).
  // `cpu`: the CPU whose slot the event came through (the caller checked
  // it); only then may the decision carry a use-lease, for that CPU.
  static constexpr uint32_t kNoCpu = 0xffffffffu;
  Status decide(const struct tzu_event& ev, struct tzu_decision* out,
                const Trace* trace = nullptr, uint32_t cpu = kNoCpu);

  // Use-leases (step 10): the kernel-shared words; closes every lease first.
  void set_lease_words(const LeaseWords& w);
  // Ends every lease (refunding what was not used); a policy commit does it.
  void close_leases();
  uint32_t live_leases() const { return live_leases_; }
  const LeaseStats& lease_stats() const { return lease_stats_; }

  // The caller has authorized these (admin key).
  Status set_mode(uint32_t mode);  // TZU_MODE_*; kBadField if unknown
  uint32_t mode() const { return mode_; }
  // Attribute by name; only attributes declared writer "admin"
  // (kNotWritable otherwise). Re-checks live sessions. *tgid (if given):
  // the process a per-process attribute belongs to (its exit must be
  // reported, TZU_DF_TASK_STATE), else 0.
  Status update_attr(const char* name, size_t name_len, uint32_t op,
                     uint64_t key, int64_t value, int64_t* new_value,
                     Revocations* rev, uint32_t* tgid = nullptr);
  // Ends a usage session (runs the rule's post-updates); kNotFound if no
  // such live session.
  Status end_usage(uint32_t session_id, Revocations* rev);

  // The secure world's own measurement: remembered across policy swaps
  // (kLimit if kMaxSecureFacts are taken), and set in the active policy if
  // it declares the attribute as a global int with writer "secure"
  // (kNotWritable if it declares it otherwise). Re-checks live sessions.
  Status set_secure_attr(const char* name, size_t name_len, int64_t value,
                         Revocations* rev);
  // Value of a global attribute (its initial value when unset).
  bool global_attr(const char* name, size_t name_len, int64_t* value) const;

  // A secure-world audit record (the engine fills epoch); false if the
  // ring refused it (fail-closed and full).
  bool audit_event(AuditLog::SecureRecord r);
  void ack_audit(uint64_t upto) { audit_.ack(upto); }
  // Background hashing of pending audit records (the secure tick).
  void settle_audit(uint32_t max) { audit_.settle(max); }
  // The administrator's overflow choice (AUDIT_CONFIG): it outlives policy
  // swaps; without one, each policy's "audit_overflow" applies.
  void set_audit_fail_closed(bool on);
  // True if `digest` is the active policy's (a reload of it changes nothing).
  bool is_active(const uint8_t digest[32]) const;

  // Counts a request the caller rejected before reaching the engine.
  void count_error() { ++stats_.errors; }
  // Zeroes the decision statistics (audited by the caller).
  void reset_counters();

  void stats(struct tzu_stats* out) const;
  const AuditLog& audit() const { return audit_; }
  const Policy* policy() const { return active_; }
  uint32_t epoch() const { return epoch_; }
  // Cache epoch (see the top of this file).
  uint32_t cache_epoch() const;
  // Per hook (docs/kernel.md, "Epoch"): what decisions of `hook` carry and
  // the shared window publishes; 0 for an invalid hook.
  uint32_t cache_epoch(uint32_t hook) const;
  // The hooks whose cache_epoch(hook) may have moved since the last call
  // (bit per TZU_HOOK_*, no other bits; all after a policy commit, mode or overflow
  // change), cleared: the dispatcher rewrites only these entries of its
  // published copy. One consumer.
  uint32_t take_moved_hooks();
  uint32_t interest_mask() const;
  uint32_t live_sessions() const;
  const uint8_t* device_id() const { return device_id_; }

 private:
  Status verify_blob(const uint8_t* blob, size_t len) const;
  Status apply_updates(uint32_t first, uint32_t count,
                       const struct tzu_event& ev, bool* changed);
  void recheck_sessions(Revocations* rev);
  void revoke(struct Session* s, uint32_t reason, Revocations* rev);
  Status end_session(struct Session* s, Revocations* rev);
  void end_task(const struct tzu_subject& subj, Revocations* rev);
  void end_key(uint32_t serial, Revocations* rev);
  void end_sessions(const uint32_t* ids, uint32_t n, Revocations* rev);
  void erase_keyed(uint64_t key, uint64_t attr_mask);
  void lifecycle(const struct tzu_event& ev, struct tzu_decision* out,
                 Revocations* rev);
  uint32_t decide_rules(const struct tzu_event& ev, const Trace* trace,
                        uint32_t* permit_first) const;
  bool permissive_for(const BlobRule* rule) const;
  bool will_audit(const BlobRule& rule) const;
  bool apply_rule(uint32_t r, const struct tzu_event& ev,
                  struct tzu_decision* out, bool* changed);
  void finish(const struct tzu_event& ev, const BlobRule* rule, bool deny,
              bool lifecycle, const Revocations& rev, struct tzu_decision* out);
  void mark_cache(const struct tzu_event& ev, const BlobRule* rule,
                  uint32_t epoch_before, struct tzu_decision* out) const;
  Status write_attr(uint32_t a, uint32_t op, uint64_t key, int64_t value,
                    int64_t* new_value, Revocations* rev);
  // Use-leases.
  bool atoms_flip(uint32_t attr, int64_t from, int64_t to) const;
  int64_t lease_high(uint32_t attr, int64_t v) const;
  void atom_bounds(const struct BlobNode& n, int64_t* k, int64_t* lo,
                   int64_t* hi) const;
  void add_attr(struct AttrEntry* e, int64_t delta, bool* changed);
  uint64_t lease_gen(uint32_t hooks) const;
  void grant_lease(const struct tzu_event& ev, const BlobRule* rule,
                   uint32_t epoch_before, uint32_t cpu,
                   struct tzu_decision* out);
  void close_lease(uint32_t cpu, uint32_t slot);
  void close_leases_of(uint32_t name_hash, uint64_t key);
  void reap_leases();

  void apply_secure_facts();

  // The secure world's measurements, by attribute name hash: they outlive
  // policy swaps (a policy that lacks the attribute cannot erase them) and
  // are written into every policy that declares the attribute "secure".
  struct SecureFact {
    uint32_t name_hash;
    uint32_t used;
    int64_t value;
  };
  static constexpr uint32_t kMaxSecureFacts = 8;
  SecureFact secure_facts_[kMaxSecureFacts] = {};
  int audit_override_ = -1;  // -1: policy decides; 0 drop-oldest; 1 fail-closed

  uint8_t policy_pub_[32] = {};
  uint8_t device_id_[16] = {};
  bool keys_set_ = false;
  Arena policy_arena_[2];
  int active_slot_ = -1;
  Policy* active_ = nullptr;
  Policy* staged_ = nullptr;
  bool staged_boot_ = false;
  bool boot_active_ = false;
  RollbackFloor floor_;
  AttributeStore* attrs_ = nullptr;
  SessionTable* sessions_ = nullptr;
  AuditLog audit_;
  EngineConfig cfg_;
  uint32_t epoch_ = 0;
  uint64_t state_gen_ = 0;  // policy commits, mode and audit-overflow changes
  uint64_t state_gen_taken_ = 0;  // take_moved_hooks()
  uint32_t mode_ = TZU_MODE_ENFORCE;
  struct tzu_stats stats_ = {};

  struct Lease {
    uint32_t ticket;     // 0: free
    uint32_t attr;       // index in the active policy
    uint32_t name_hash;  // of the attribute
    uint32_t uses;       // L
    uint64_t key;        // of the instance charged
    int64_t step;        // c
    uint32_t kill;       // hooks whose epoch ends it
    uint64_t kill_gen;   // lease_gen(kill) at the grant
  };
  static constexpr uint32_t kLeaseCpus = TZU_MAX_CPUS;
  Lease leases_[kLeaseCpus][TZU_LEASE_WORDS] = {};
  uint8_t lease_next_[kLeaseCpus] = {};
  uint32_t live_leases_ = 0;
  uint64_t reaped_gen_ = ~0ull;  // state_gen_ + generation() at the last scan
  uint32_t lease_ticket_ = 0;
  LeaseWords lease_words_;
  LeaseStats lease_stats_;
};

}  // namespace ucon

#endif  // UCON_ENGINE_ENGINE_H
