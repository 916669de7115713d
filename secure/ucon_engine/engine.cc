// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// engine.cc - the UCON decision procedure documented in engine.h.
#include "engine.h"

#include <new>
#include <string.h>

#include "attributes.h"
#include "crypto.h"
#include "ed25519.h"
#include "eval.h"
#include "fields.h"
#include "policy.h"
#include "sessions.h"

namespace ucon {
namespace {

constexpr size_t kSlack = 4096;  // alignment padding across sub-allocations

// Event fields that differ on every event (filled at send): a hook whose
// rules read one is neither cached nor leased.
constexpr uint32_t kPerEventFields =
    (1u << TZU_FIELD_SEQ) | (1u << TZU_FIELD_CPU);

// A policy buffer holds the Policy object, the blob copy and the decoded
// index structures, which are bounded by a small multiple of the blob size.
// (The object itself was once within kSlack; the use-lease tables made it
// 5 KiB, and a tight max_blob_bytes then failed to load a small policy.)
size_t policy_slot_bytes(const EngineConfig& cfg) {
  return sizeof(Policy) + 4 * size_t{cfg.max_blob_bytes} + kSlack;
}

bool has_nul(const char* s, size_t n) { return memchr(s, 0, n) != nullptr; }

bool is_lifecycle(uint32_t hook) {
  return hook == TZU_HOOK_USAGE_END || hook == TZU_HOOK_TASK_EXIT ||
         hook == TZU_HOOK_KEY_FREE;
}

bool same_process(const tzu_subject& a, const tzu_subject& b) {
  return a.tgid == b.tgid && a.start_time == b.start_time;
}

Status check_event(const tzu_event& ev) {
  if (ev.hdr.magic != TZU_MAGIC) return Status::kBadMagic;
  if (ev.hdr.version != TZU_ABI_VERSION) return Status::kBadVersion;
  if (ev.hdr.command != TZU_CMD_DECIDE) return Status::kBadCommand;
  if (ev.hdr.size != sizeof(tzu_event)) return Status::kBadSize;
  if (ev.hook == TZU_HOOK_NONE || ev.hook >= TZU_HOOK_COUNT)
    return Status::kBadField;
  if (ev.flags & ~TZU_EVF_ALL) return Status::kBadField;
  if (!has_nul(ev.subject.comm, sizeof(ev.subject.comm)) ||
      !has_nul(ev.object.type, sizeof(ev.object.type)) ||
      !has_nul(ev.object.name, sizeof(ev.object.name)))
    return Status::kBadField;
  return Status::kOk;
}

void add_revocation(Revocations* rev, uint32_t id, uint32_t tgid,
                    uint32_t reason) {
  if (rev->total == 0) rev->reason = reason;
  ++rev->total;
  if (rev->n < TZU_MAX_REVOKE) {
    rev->ids[rev->n] = id;
    rev->tgids[rev->n] = tgid;
    ++rev->n;
  }
}

}  // namespace

size_t Engine::arena_bytes(const EngineConfig& cfg) {
  return sizeof(AttributeStore) + AttributeStore::bytes(cfg.max_attr_entries) +
         sizeof(SessionTable) + SessionTable::bytes(cfg.max_sessions) +
         size_t{cfg.audit_records} * sizeof(tzu_audit_record) +
         2 * policy_slot_bytes(cfg) + kSlack;
}

bool rollback_allows(const RollbackFloor& floor, uint32_t version,
                     const uint8_t digest[32]) {
  if (!floor.set || version > floor.version) return true;
  return version == floor.version &&
         ct_equal(digest, floor.digest, sizeof(floor.digest));
}

Status Engine::init(void* arena, size_t arena_size, const EngineConfig& cfg,
                    const uint8_t policy_pub[32], const uint8_t device_id[16]) {
  if (!policy_pub || !device_id) return Status::kBadField;
  if (cfg.max_attr_entries == 0 || cfg.max_sessions == 0 ||
      cfg.audit_records == 0 || cfg.max_blob_bytes < 256 ||
      cfg.max_blob_bytes > kMaxBlobBytes)
    return Status::kLimit;
  if (arena_size < arena_bytes(cfg)) return Status::kLimit;
  Arena a(arena, arena_size);
  void* pa = a.alloc_array<AttributeStore>(1);
  void* ps = a.alloc_array<SessionTable>(1);
  auto* audit = a.alloc_array<tzu_audit_record>(cfg.audit_records);
  if (!pa || !ps || !audit) return Status::kLimit;
  attrs_ = new (pa) AttributeStore();
  sessions_ = new (ps) SessionTable();
  Status s = attrs_->init(&a, cfg.max_attr_entries);
  if (s == Status::kOk) s = sessions_->init(&a, cfg.max_sessions);
  if (s != Status::kOk) return s;
  for (Arena& slot : policy_arena_) {
    slot = a.sub(policy_slot_bytes(cfg));
    if (!slot.valid()) return Status::kLimit;
  }
  audit_.init(audit, cfg.audit_records);
  memcpy(policy_pub_, policy_pub, sizeof(policy_pub_));
  memcpy(device_id_, device_id, sizeof(device_id_));
  keys_set_ = true;
  cfg_ = cfg;
  active_ = staged_ = nullptr;
  active_slot_ = -1;
  boot_active_ = staged_boot_ = false;
  floor_ = RollbackFloor{};
  for (SecureFact& f : secure_facts_) f = SecureFact{};
  audit_override_ = -1;
  epoch_ = 0;
  state_gen_ = 0;
  state_gen_taken_ = ~0ull;  // the first take_moved_hooks(): every hook
  mode_ = TZU_MODE_ENFORCE;
  stats_ = tzu_stats{};
  for (auto& cpu : leases_)
    for (Lease& l : cpu) l = Lease{};
  live_leases_ = 0;
  reaped_gen_ = ~0ull;
  lease_stats_ = LeaseStats{};
  return Status::kOk;
}

// Header, signature (over everything but the trailer), then the device the
// blob is bound to. The blob is already in secure memory.
Status Engine::verify_blob(const uint8_t* blob, size_t len) const {
  // The cheap public checks first, so garbage costs no signature check.
  BlobHeader h;
  memcpy(&h, blob, sizeof(h));
  if (h.magic != kBlobMagic) return Status::kBadMagic;
  if (h.format_version != kBlobFormatVersion) return Status::kBadVersion;
  if (h.total_size != len) return Status::kBadSize;
  const size_t body = len - kBlobSigLen;
  if (!ed25519_verify(policy_pub_, blob, body, blob + body)) return Status::kAuth;
  if (!(h.flags & kPolicyAnyDevice) &&
      memcmp(h.device_id, device_id_, sizeof(device_id_)) != 0)
    return Status::kWrongDevice;
  return Status::kOk;
}

Status Engine::stage_policy(const uint8_t* blob, size_t len, bool boot,
                            LoadResult* out) {
  *out = LoadResult{};
  staged_ = nullptr;
  ++stats_.policy_loads;
  Status s = Status::kOk;
  const int slot = active_slot_ == 0 ? 1 : 0;
  Arena& pa = policy_arena_[slot];
  Policy* p = nullptr;
  if (!keys_set_) {
    s = Status::kInternal;
  } else if (len < sizeof(BlobHeader) + kBlobSigLen || len > cfg_.max_blob_bytes) {
    s = Status::kBadSize;
  } else {
    // Copy first: the caller's buffer may be shared with the normal world.
    pa.reset();
    uint8_t* copy = static_cast<uint8_t*>(pa.alloc(len, 8));
    if (!copy) {
      s = Status::kLimit;
    } else {
      memcpy(copy, blob, len);
      sha256(copy, len, out->digest);
      s = verify_blob(copy, len);
      if (s == Status::kOk) s = Policy::decode(copy, len, &pa, &p);
      if (s == Status::kOk) out->policy_version = p->header().policy_version;
      if (s == Status::kOk && !boot &&
          !rollback_allows(floor_, out->policy_version, out->digest))
        s = Status::kRollback;
    }
  }
  if (s != Status::kOk) {
    ++stats_.policy_rejects;
    return s;
  }
  p->set_digest(out->digest);
  staged_ = p;
  staged_boot_ = boot;
  return Status::kOk;
}

void Engine::commit_policy(LoadResult* out) {
  Policy* p = staged_;
  if (!p) return;
  close_leases();  // refunded under the policy that granted them
  staged_ = nullptr;
  active_ = p;
  active_slot_ = active_slot_ == 0 ? 1 : 0;
  boot_active_ = staged_boot_;
  if (!staged_boot_) {
    floor_.version = p->header().policy_version;
    floor_.set = true;
    memcpy(floor_.digest, p->digest(), sizeof(floor_.digest));
  }
  audit_.set_fail_closed(audit_override_ >= 0
                             ? audit_override_ == 1
                             : (p->header().flags & kPolicyAuditFailClosed) != 0);
  ++epoch_;
  ++state_gen_;
  attrs_->remap(*p);
  apply_secure_facts();
  for (uint32_t i = sessions_->next_live(0); i < sessions_->capacity();
       i = sessions_->next_live(i + 1)) {
    Session& sess = sessions_->at(i);
    uint32_t r = p->find_rule_by_hash(sess.rule_hash);
    if (r == kNone || !(p->rule(r).flags & kRuleSession)) {
      add_revocation(&out->revoked, sess.id, sess.ev.subject.tgid,
                     TZU_REVOKE_POLICY);
      ++stats_.revocations;
      sessions_->close(&sess);
    } else {
      sess.rule = r;
    }
  }
  if (p->has_ongoing()) recheck_sessions(&out->revoked);
  out->epoch = epoch_;
  out->policy_version = p->header().policy_version;
  out->interest_mask = p->interest_mask();
  out->n_rules = p->n_rules();
  memcpy(out->digest, p->digest(), sizeof(out->digest));
}

Status Engine::load_policy(const uint8_t* blob, size_t len, LoadResult* out) {
  Status s = stage_policy(blob, len, false, out);
  if (s == Status::kOk) commit_policy(out);
  return s;
}

Status Engine::set_mode(uint32_t mode) {
  if (mode != TZU_MODE_ENFORCE && mode != TZU_MODE_PERMISSIVE)
    return Status::kBadField;
  mode_ = mode;
  ++state_gen_;
  reap_leases();
  return Status::kOk;
}

// Never wraps: a 32-bit epoch that came round again would make entries
// cached 2^32 changes ago answer, and the normal world can drive changes
// (every counted key use is one). Past 2^32 - 1 the epoch is 0, "none":
// nothing is marked cacheable and the kernel answers nothing from its
// cache until the next boot.
uint32_t Engine::cache_epoch() const {
  const uint64_t e = 1 + state_gen_ + (attrs_ ? attrs_->generation() : 0);
  return e <= UINT32_MAX ? static_cast<uint32_t>(e) : 0;
}

// The epoch a decision of `hook` is tagged with: the same, but counting
// only the attribute changes a rule of the hook can observe, so a counted
// key use leaves cached mprotect answers standing. Never larger than
// cache_epoch(), never wraps either; monotonic because both terms are.
uint32_t Engine::cache_epoch(uint32_t hook) const {
  if (hook >= TZU_HOOK_COUNT) return 0;
  const uint64_t e =
      1 + state_gen_ + (attrs_ ? attrs_->hook_generation(hook) : 0);
  return e <= UINT32_MAX ? static_cast<uint32_t>(e) : 0;
}

uint32_t Engine::take_moved_hooks() {
  uint32_t m = attrs_ ? attrs_->take_moved() : AttributeStore::kAllHooks;
  if (state_gen_ != state_gen_taken_) m = AttributeStore::kAllHooks;
  state_gen_taken_ = state_gen_;
  return m;
}

uint32_t Engine::interest_mask() const {
  return active_ ? active_->interest_mask() : 0;
}

uint32_t Engine::live_sessions() const { return sessions_->live(); }

Status Engine::apply_updates(uint32_t first, uint32_t count,
                             const tzu_event& ev, bool* changed) {
  for (uint32_t i = first; i < first + count; ++i) {
    const BlobUpdate& u = active_->update(i);
    const BlobAttr& decl = active_->attr(u.attr);
    AttrEntry* e;
    Status s = attrs_->get_or_create(u.attr, decl, attr_key(decl, ev), &e);
    if (s != Status::kOk) return s;
    int64_t v = u.value;
    if (u.value_kind == kOperandField)
      v = field_int(ev, *field_by_id(static_cast<uint32_t>(u.value)));
    bool ch;
    if (u.op == TZU_ATTR_OP_ADD && u.attr < kMaxAttrs &&
        (active_->lease_attrs() & (1ull << u.attr))) {
      add_attr(e, v, &ch);
    } else {
      s = attrs_->apply(e, u.op, v, &ch);
      if (s != Status::kOk) return s;
    }
    *changed = *changed || ch;
  }
  return Status::kOk;
}

// --- Use-leases (engine.h, step 10) ---------------------------------------

namespace {

int64_t pool_i64(const uint8_t* p) {
  int64_t v;
  memcpy(&v, p, sizeof(v));
  return v;
}

bool atom_holds(uint8_t op, int64_t x, int64_t k, int64_t lo, int64_t hi) {
  switch (op) {
    case kOpEq: return x == k;
    case kOpNe: return x != k;
    case kOpLt: return x < k;
    case kOpLe: return x <= k;
    case kOpGt: return x > k;
    case kOpGe: return x >= k;
    case kOpRange: return lo <= x && x <= hi;
    default: return true;  // present: not a matter of the value
  }
}

// The least value above x at which the atom's truth differs from its truth
// at x, or 0 with *none when it never does (values only grow).
int64_t next_flip(uint8_t op, int64_t x, int64_t k, int64_t lo, int64_t hi,
                  bool* none) {
  *none = false;
  auto above = [&](int64_t t) -> int64_t {  // t + 1, if there is one
    if (t == INT64_MAX) *none = true;
    return t == INT64_MAX ? 0 : t + 1;
  };
  switch (op) {
    case kOpLt: case kOpGe:  // changes at k
      if (x < k) return k;
      break;
    case kOpLe: case kOpGt:  // changes at k + 1
      if (x <= k) return above(k);
      break;
    case kOpEq: case kOpNe:
      if (x < k) return k;
      if (x == k) return above(k);
      break;
    case kOpRange:
      if (x < lo) return lo;
      if (x <= hi) return above(hi);
      break;
    default:
      break;
  }
  *none = true;
  return 0;
}

}  // namespace

// What a comparison of a leasable attribute compares with: k (a constant
// or a global's value now), or lo..hi for a range.
void Engine::atom_bounds(const BlobNode& nd, int64_t* k, int64_t* lo,
                         int64_t* hi) const {
  *k = *lo = *hi = 0;
  if (nd.op == kOpRange) {
    *lo = pool_i64(active_->pool() + nd.a);
    *hi = pool_i64(active_->pool() + nd.a + 8);
  } else if (nd.op != kOpPresent && nd.rhs_kind == kOperandAttr) {
    const BlobAttr& d = active_->attr(nd.a);
    const AttrEntry* e = attrs_->find(d.name_hash, 0);
    *k = e ? e->value : d.initial;
  } else if (nd.op != kOpPresent) {
    *k = static_cast<int64_t>(static_cast<uint64_t>(nd.a) |
                              (static_cast<uint64_t>(nd.b) << 32));
  }
}

// Whether some comparison of leasable attribute `attr` holds at one value
// and not at the other: only then can a rule tell them apart.
bool Engine::atoms_flip(uint32_t attr, int64_t from, int64_t to) const {
  uint32_t n;
  const uint32_t* atoms = active_->lease_atoms(attr, &n);
  for (uint32_t i = 0; i < n; ++i) {
    const BlobNode& nd = active_->node(atoms[i]);
    int64_t k, lo, hi;
    atom_bounds(nd, &k, &lo, &hi);
    if (atom_holds(nd.op, from, k, lo, hi) != atom_holds(nd.op, to, k, lo, hi))
      return true;
  }
  return false;
}

// The largest value from v up to which every comparison of `attr` keeps
// the truth it has at v.
int64_t Engine::lease_high(uint32_t attr, int64_t v) const {
  uint32_t n;
  const uint32_t* atoms = active_->lease_atoms(attr, &n);
  int64_t high = INT64_MAX;
  for (uint32_t i = 0; i < n; ++i) {
    const BlobNode& nd = active_->node(atoms[i]);
    int64_t k, lo, hi;
    atom_bounds(nd, &k, &lo, &hi);
    bool none;
    const int64_t f = next_flip(nd.op, v, k, lo, hi, &none);
    if (!none && f - 1 < high) high = f - 1;  // f > v, so no overflow
  }
  return high;
}

// An add to a leasable attribute (saturating, as AttributeStore::apply):
// a change no comparison of it can see moves no epoch.
void Engine::add_attr(AttrEntry* e, int64_t delta, bool* changed) {
  *changed = false;
  // Saturating: a live lease's later refund would take the clipped uses
  // off again and leave the count below the truth; end them first (a
  // refund may move the value).
  if (add_saturates(e->value, delta)) close_leases_of(e->name_hash, e->key);
  const int64_t v = saturating_add(e->value, delta);
  if (v == e->value) return;
  if (atoms_flip(e->attr, e->value, v)) {
    (void)attrs_->apply(e, TZU_ATTR_OP_SET, v, changed);
    return;
  }
  e->value = v;
  *changed = true;  // no epoch moves, but live sessions are re-checked
}

// Ends the leases charged to one attribute instance (it is about to be
// erased, or to saturate).
void Engine::close_leases_of(uint32_t name_hash, uint64_t key) {
  for (uint32_t c = 0; c < kLeaseCpus && live_leases_; ++c)
    for (uint32_t s = 0; s < TZU_LEASE_WORDS; ++s) {
      const Lease& l = leases_[c][s];
      if (l.ticket && l.name_hash == name_hash && l.key == key)
        close_lease(c, s);
    }
}

// What every epoch a lease depends on adds up to: it moves iff one does.
uint64_t Engine::lease_gen(uint32_t hooks) const {
  uint64_t g = state_gen_;
  for (; hooks; hooks &= hooks - 1)
    g += attrs_->hook_generation(__builtin_ctz(hooks));
  return g;
}

void Engine::set_lease_words(const LeaseWords& w) {
  close_leases();
  lease_words_ = w;
  if (!w.exchange) lease_words_.n_cpus = 0;
  if (lease_words_.n_cpus > kLeaseCpus) lease_words_.n_cpus = kLeaseCpus;
}

void Engine::close_lease(uint32_t cpu, uint32_t slot) {
  Lease& l = leases_[cpu][slot];
  if (!l.ticket) return;
  const Lease was = l;
  l = Lease{};
  --live_leases_;
  ++lease_stats_.closed;
  const uint32_t w = lease_words_.exchange(lease_words_.ctx, cpu, slot, 0);
  // A word that is not this lease's: the kernel rewrote it; it is owed
  // nothing back (it can only have been given the uses charged).
  uint32_t used = was.uses;
  if ((w >> TZU_LEASE_TICKET_SHIFT) == was.ticket) {
    used = w & TZU_LEASE_USES_MASK;
    if (used > was.uses) used = was.uses;
  } else {
    ++lease_stats_.foreign_words;
  }
  lease_stats_.uses_taken += used;
  const uint32_t back = was.uses - used;
  if (!back || !active_) return;
  AttrEntry* e = attrs_->find_mut(was.name_hash, was.key);
  if (!e || e->attr != was.attr) {  // gone with its process or key
    lease_stats_.uses_dropped += back;
    return;
  }
  bool ch;
  add_attr(e, -was.step * static_cast<int64_t>(back), &ch);
  lease_stats_.uses_refunded += back;
}

void Engine::close_leases() {
  for (uint32_t c = 0; c < kLeaseCpus && live_leases_; ++c)
    for (uint32_t s = 0; s < TZU_LEASE_WORDS; ++s) close_lease(c, s);
}

// Ends the leases whose epochs moved. A refund that turns a comparison
// (only after a comparand changed) moves epochs again: repeat until none.
void Engine::reap_leases() {
  // Nothing moved since the last look (no commit, mode or overflow change,
  // no attribute-table mutation: quiet adds are none): no lease can have
  // died. Every DECIDE passes here, so this is the common case.
  if (live_leases_ == 0) return;
  const uint64_t g = state_gen_ + attrs_->generation();
  if (g == reaped_gen_) return;
  bool again = true;
  while (again) {
    again = false;
    for (uint32_t c = 0; c < kLeaseCpus; ++c)
      for (uint32_t s = 0; s < TZU_LEASE_WORDS; ++s) {
        const Lease& l = leases_[c][s];
        if (l.ticket && lease_gen(l.kill) != l.kill_gen) {
          close_lease(c, s);
          again = true;
        }
      }
  }
  reaped_gen_ = state_gen_ + attrs_->generation();
}

void Engine::grant_lease(const tzu_event& ev, const BlobRule* rule,
                         uint32_t epoch_before, uint32_t cpu,
                         tzu_decision* out) {
  constexpr uint32_t kNotLeasable =
      TZU_DF_NO_POLICY | TZU_DF_LIMIT | TZU_DF_FILTERED | TZU_DF_WOULD_DENY |
      TZU_DF_AUDIT_FULL | TZU_DF_SESSION_OPENED | TZU_DF_CACHEABLE;
  if (cpu >= lease_words_.n_cpus || !rule || rule->effect != kEffectPermit ||
      rule->pre_count != 1 || rule->post_count ||
      (rule->flags & (kRuleSession | kRuleAudit)) ||
      out->hdr.status != TZU_OK || out->verdict != TZU_VERDICT_ALLOW ||
      out->obligations || out->n_revoked || (out->flags & kNotLeasable))
    return;
  const uint32_t fields = active_->hook_fields(ev.hook);
  if (fields & kPerEventFields) return;
  const BlobUpdate& u = active_->update(rule->pre_first);
  if (u.attr >= kMaxAttrs || !(active_->lease_attrs() & (1ull << u.attr)) ||
      u.op != TZU_ATTR_OP_ADD || u.value_kind != kOperandInt || u.value <= 0)
    return;
  // The entry answers only events whose counter instance is this one: its
  // key holds every field that keys the counter (a hook that counts but
  // does not read the counter would otherwise charge one process's lease
  // with another's uses).
  const uint32_t kf = active_->attr_key_fields(u.attr);
  if ((fields & kf) != kf) return;
  // The CPU's next word: a free one, else the oldest grant's (closed first,
  // which may refund and so move epochs: checked below).
  uint32_t slot = TZU_LEASE_WORDS;
  for (uint32_t s = 0; s < TZU_LEASE_WORDS && slot == TZU_LEASE_WORDS; ++s)
    if (!leases_[cpu][s].ticket) slot = s;
  if (slot == TZU_LEASE_WORDS) {
    slot = lease_next_[cpu];
    lease_next_[cpu] = static_cast<uint8_t>((slot + 1) % TZU_LEASE_WORDS);
    close_lease(cpu, slot);
  }
  if (epoch_before == 0 || cache_epoch(ev.hook) != epoch_before) return;
  const BlobAttr& d = active_->attr(u.attr);
  const uint64_t key = attr_key(d, ev);
  AttrEntry* e = attrs_->find_mut(d.name_hash, key);
  if (!e) return;
  const int64_t c = u.value;
  const int64_t v1 = e->value;  // after this use
  if (v1 == INT64_MAX) return;  // saturated
  const int64_t v0 = v1 - c;
  const int64_t high = lease_high(u.attr, v0);
  // v0 + (L + 1)c <= high, in unsigned arithmetic (high >= v1 > v0).
  if (high < v1) return;
  const uint64_t steps = (static_cast<uint64_t>(high) -
                          static_cast<uint64_t>(v0)) / static_cast<uint64_t>(c);
  if (steps < 2) return;
  // Half the uses the comparisons leave (at least one): the rest stays for
  // the subject's other entries and the other CPU, whose grants start from
  // this charge.
  uint64_t half = (steps - 1) / 2;
  if (half == 0) half = 1;
  const uint32_t uses = half > TZU_LEASE_MAX_USES
                            ? TZU_LEASE_MAX_USES
                            : static_cast<uint32_t>(half);
  e->value = v1 + c * static_cast<int64_t>(uses);  // <= high: no flip
  // Tickets 1 .. 2^20 - 2: 0 is a closed word, all ones a contended close.
  if (++lease_ticket_ >= (1u << (32 - TZU_LEASE_TICKET_SHIFT)) - 1) {
    // Tickets come round again: every kernel entry goes stale first, so
    // none of an older lease can match a word that reuses its ticket.
    lease_ticket_ = 1;
    ++state_gen_;
  }
  Lease& l = leases_[cpu][slot];
  l.ticket = lease_ticket_;
  l.attr = u.attr;
  l.name_hash = d.name_hash;
  l.uses = uses;
  l.key = key;
  l.step = c;
  l.kill = (active_->attr_readers()[u.attr] | (1u << ev.hook)) &
           AttributeStore::kAllHooks;
  l.kill_gen = lease_gen(l.kill);
  ++live_leases_;
  ++lease_stats_.granted;
  lease_stats_.uses_granted += uses;
  (void)lease_words_.exchange(lease_words_.ctx, cpu, slot,
                              l.ticket << TZU_LEASE_TICKET_SHIFT);
  out->flags |= TZU_DF_LEASE;
  out->cache_fields = fields;
  out->lease_ticket = l.ticket;
  out->lease_slot = static_cast<uint8_t>(slot);
  out->lease_cpu = static_cast<uint8_t>(cpu);
  out->lease_uses = static_cast<uint16_t>(uses);
}

void Engine::revoke(Session* s, uint32_t reason, Revocations* rev) {
  add_revocation(rev, s->id, s->ev.subject.tgid, reason);
  ++stats_.revocations;
  // Revocation ends the usage: post-updates run as for a normal end.
  const BlobRule& r = active_->rule(s->rule);
  bool changed = false;
  (void)apply_updates(r.post_first, r.post_count, s->ev, &changed);
  sessions_->close(s);
}

// Re-checks ongoing predicates until no session fails. Each pass either
// closes a session or ends the loop, so this terminates within live()+1
// passes even when post-updates keep changing attributes.
void Engine::recheck_sessions(Revocations* rev) {
  bool again = true;
  while (again) {
    again = false;
    for (uint32_t i = sessions_->next_live(0); i < sessions_->capacity();
         i = sessions_->next_live(i + 1)) {
      Session& s = sessions_->at(i);
      const BlobRule& r = active_->rule(s.rule);
      if (r.ongoing == kNone) continue;
      Evaluator ev(*active_, *attrs_, s.ev, nullptr);
      if (ev.holds(r.ongoing, s.rule)) continue;
      revoke(&s, TZU_REVOKE_ONGOING, rev);
      again = true;
    }
  }
}

Status Engine::end_session(Session* s, Revocations* rev) {
  const BlobRule& r = active_->rule(s->rule);
  bool changed = false;
  Status st = apply_updates(r.post_first, r.post_count, s->ev, &changed);
  sessions_->close(s);
  if (changed && active_->has_ongoing()) recheck_sessions(rev);
  return st;
}

// A process ended: its non-key sessions end with it (key sessions belong to
// the key), then its per-process attributes go (with any its sessions'
// post-updates just wrote). Costs the process's own sessions and entries:
// both come off hash chains, in the slot order a full scan would see.
void Engine::end_task(const tzu_subject& subj, Revocations* rev) {
  uint32_t* ids = sessions_->scratch();
  const uint32_t n = sessions_->of_process(subj, ids);
  end_sessions(ids, n, rev);
  erase_keyed(process_key(subj), active_->process_attrs());
}

// A key was destroyed: its usage sessions end, attributes keyed by its
// serial (its owner, say) go, so a reused serial starts clean.
void Engine::end_key(uint32_t serial, Revocations* rev) {
  uint32_t* ids = sessions_->scratch();
  const uint32_t n = sessions_->of_key(serial, ids);
  end_sessions(ids, n, rev);
  erase_keyed(serial, active_->key_object_attrs());
}

// Ends the listed sessions in order; one that an earlier end revoked (its
// post-updates changed an attribute an ongoing predicate reads) is gone.
void Engine::end_sessions(const uint32_t* ids, uint32_t n, Revocations* rev) {
  for (uint32_t i = 0; i < n; ++i) {
    Session* s = sessions_->find(ids[i]);
    if (s) (void)end_session(s, rev);
  }
}

void Engine::erase_keyed(uint64_t key, uint64_t attr_mask) {
  if (!attr_mask) return;
  uint32_t hashes[kMaxAttrs];
  const uint32_t n = attrs_->keyed(key, attr_mask, hashes, kMaxAttrs);
  for (uint32_t i = 0; i < n; ++i) {
    // A lease must not outlive its instance: a refund would land on a
    // later one with the same key (a reused key serial).
    if (live_leases_) close_leases_of(hashes[i], key);
    attrs_->erase(hashes[i], key);
  }
}

Status Engine::end_usage(uint32_t session_id, Revocations* rev) {
  Session* s = sessions_->find(session_id);
  if (!s || !active_) return Status::kNotFound;
  const Status st = end_session(s, rev);
  reap_leases();
  return st;
}

Status Engine::write_attr(uint32_t a, uint32_t op, uint64_t key, int64_t value,
                          int64_t* new_value, Revocations* rev) {
  const BlobAttr& d = active_->attr(a);
  const bool is_set = d.type == kAttrSet;
  if (op == TZU_ATTR_OP_INSERT ? !is_set
                               : (op != TZU_ATTR_OP_CLEAR && is_set) ||
                                     op < TZU_ATTR_OP_SET || op > TZU_ATTR_OP_CLEAR)
    return Status::kBadField;
  if (d.scope == TZU_ATTR_SCOPE_GLOBAL) key = 0;
  AttrEntry* e;
  Status s = attrs_->get_or_create(a, d, key, &e);
  if (s != Status::kOk) return s;
  bool changed;
  s = attrs_->apply(e, op, value, &changed);
  if (s != Status::kOk) return s;
  *new_value = e->value;
  if (changed && active_->has_ongoing()) recheck_sessions(rev);
  reap_leases();
  return Status::kOk;
}

Status Engine::update_attr(const char* name, size_t name_len, uint32_t op,
                           uint64_t key, int64_t value, int64_t* new_value,
                           Revocations* rev, uint32_t* tgid) {
  if (tgid) *tgid = 0;
  if (!active_) return Status::kNoPolicy;
  const uint32_t a = active_->find_attr(name, name_len);
  if (a == kNone) return Status::kNotFound;
  const BlobAttr& d = active_->attr(a);
  if (d.writer != kWriterAdmin) return Status::kNotWritable;
  const Status s = write_attr(a, op, key, value, new_value, rev);
  // A per-process key is process_key(): the tgid in its low half.
  if (s == Status::kOk && tgid && d.scope == TZU_ATTR_SCOPE_SUBJECT &&
      d.key == kKeyTgid)
    *tgid = static_cast<uint32_t>(key);
  return s;
}

Status Engine::set_secure_attr(const char* name, size_t name_len, int64_t value,
                               Revocations* rev) {
  // An attribute the active policy gives another writer stays theirs.
  const uint32_t a = active_ ? active_->find_attr(name, name_len) : kNone;
  if (a != kNone) {
    const BlobAttr& d = active_->attr(a);
    if (d.writer != kWriterSecure || d.scope != TZU_ATTR_SCOPE_GLOBAL ||
        d.type != kAttrInt)
      return Status::kNotWritable;
  }
  const uint32_t h = fnv1a32(name, name_len);
  SecureFact* fact = nullptr;  // this attribute's entry, else a free one
  for (SecureFact& f : secure_facts_) {
    if (f.used && f.name_hash == h) {
      fact = &f;
      break;
    }
    if (!f.used && !fact) fact = &f;
  }
  if (!fact) return Status::kLimit;
  *fact = SecureFact{h, 1, value};
  if (a == kNone) return Status::kOk;  // kept for a policy that declares it
  int64_t v;
  return write_attr(a, TZU_ATTR_OP_SET, 0, value, &v, rev);
}

// After a swap: every measurement the new policy declares as a secure
// global int takes the measured value (sessions are re-checked by the
// caller, commit_policy).
void Engine::apply_secure_facts() {
  for (const SecureFact& f : secure_facts_) {
    if (!f.used) continue;
    for (uint32_t a = 0; a < active_->n_attrs(); ++a) {
      const BlobAttr& d = active_->attr(a);
      if (d.name_hash != f.name_hash || d.writer != kWriterSecure ||
          d.scope != TZU_ATTR_SCOPE_GLOBAL || d.type != kAttrInt)
        continue;
      AttrEntry* e;
      bool changed;
      if (attrs_->get_or_create(a, d, 0, &e) == Status::kOk)
        (void)attrs_->apply(e, TZU_ATTR_OP_SET, f.value, &changed);
    }
  }
}

void Engine::set_audit_fail_closed(bool on) {
  ++state_gen_;
  audit_override_ = on ? 1 : 0;
  audit_.set_fail_closed(on);
  reap_leases();
}

bool Engine::is_active(const uint8_t digest[32]) const {
  return active_ && memcmp(active_->digest(), digest, 32) == 0;
}

bool Engine::global_attr(const char* name, size_t name_len,
                         int64_t* value) const {
  const uint32_t a = active_ ? active_->find_attr(name, name_len) : kNone;
  if (a == kNone) {
    // A measurement holds even while the active policy does not declare it.
    const uint32_t h = fnv1a32(name, name_len);
    for (const SecureFact& f : secure_facts_) {
      if (f.used && f.name_hash == h) {
        *value = f.value;
        return true;
      }
    }
    return false;
  }
  const BlobAttr& d = active_->attr(a);
  if (d.scope != TZU_ATTR_SCOPE_GLOBAL || d.type != kAttrInt) return false;
  const AttrEntry* e = attrs_->find(d.name_hash, 0);
  *value = e ? e->value : d.initial;
  return true;
}

bool Engine::audit_event(AuditLog::SecureRecord r) {
  r.epoch = epoch_;
  return audit_.append_secure(r);
}

void Engine::reset_counters() {
  const tzu_stats keep = stats_;
  stats_ = tzu_stats{};
  stats_.policy_loads = keep.policy_loads;
  stats_.policy_rejects = keep.policy_rejects;
}

// Returns the deciding rule index (kNone if none) under the combining
// algorithm; *permit_first gets the first matching permit.
uint32_t Engine::decide_rules(const tzu_event& ev, const Trace* trace,
                              uint32_t* permit_first) const {
  Candidates cands;
  active_->candidates(ev, &cands);
  const bool first_app = active_->header().flags & kPolicyFirstApplicable;
  const Evaluator eval(*active_, *attrs_, ev, trace);
  *permit_first = kNone;
  for (uint32_t r = cands.next(); r != kNone; r = cands.next()) {
    const BlobRule& rule = active_->rule(r);
    const bool matched =
        eval.holds(rule.target, r) && eval.holds(rule.condition, r);
    if (trace && trace->on_rule) trace->on_rule(trace->ctx, r, matched);
    if (!matched) continue;
    if (first_app || rule.effect == kEffectDeny) return r;
    if (*permit_first == kNone) *permit_first = r;
  }
  return *permit_first;
}

// Lifecycle notifications: no rule decides them; they end usage.
void Engine::lifecycle(const tzu_event& ev, tzu_decision* out,
                       Revocations* rev) {
  if (ev.hook == TZU_HOOK_TASK_EXIT) {
    end_task(ev.subject, rev);
  } else if (ev.hook == TZU_HOOK_KEY_FREE) {
    end_key(ev.object.id, rev);
  } else {
    Session* sess = sessions_->find(ev.object.id);
    if (sess && same_process(sess->ev.subject, ev.subject))
      (void)end_session(sess, rev);
    else
      out->hdr.status = to_wire(Status::kBadSession);
  }
}

// The deciding rule's updates and session; false when state could not be
// tracked (then the decision fails closed).
bool Engine::apply_rule(uint32_t r, const tzu_event& ev, tzu_decision* out,
                        bool* changed) {
  const BlobRule& rule = active_->rule(r);
  out->rule_id = rule.id;
  out->obligations = rule.obligations;
  out->notify_code = rule.notify_code;
  Status us = apply_updates(rule.pre_first, rule.pre_count, ev, changed);
  Session* sess = nullptr;
  if (us == Status::kOk && rule.effect != kEffectDeny &&
      (rule.flags & kRuleSession)) {
    us = sessions_->open(r, rule.name_hash, ev, &sess);
    if (sess) {
      out->session_id = sess->id;
      out->flags |= TZU_DF_SESSION_OPENED;
    }
  }
  if (us == Status::kOk && !sess)
    us = apply_updates(rule.post_first, rule.post_count, ev, changed);
  return us == Status::kOk;
}

bool Engine::permissive_for(const BlobRule* rule) const {
  return mode_ == TZU_MODE_PERMISSIVE ||
         (active_->header().flags & kPolicyPermissive) ||
         (rule && (rule->flags & kRulePermissive));
}

// Whether deciding with this rule appends a record whatever the outcome of
// its updates: an audited rule, or a deny that the mode turns into an allow.
// (Revocations its updates may cause are audited too, but cannot be known
// before they run.)
bool Engine::will_audit(const BlobRule& rule) const {
  return (rule.flags & kRuleAudit) ||
         (rule.effect == kEffectDeny && permissive_for(&rule));
}

// Mode, revocations, audit and counters: the same for every decision.
void Engine::finish(const tzu_event& ev, const BlobRule* rule, bool deny,
                    bool lifecycle, const Revocations& rev, tzu_decision* out) {
  const uint32_t pflags = active_->header().flags;
  const bool permissive = permissive_for(rule);
  if (permissive) {
    out->flags |= TZU_DF_PERMISSIVE;
    out->obligations &= ~TZU_OBL_KILL;
  }
  if (deny && permissive) out->flags |= TZU_DF_WOULD_DENY;
  out->verdict = deny && !permissive ? TZU_VERDICT_DENY : TZU_VERDICT_ALLOW;
  if (rev.total) {
    out->n_revoked = rev.n;
    out->revoke_reason = rev.reason;
    memcpy(out->revoked, rev.ids, sizeof(rev.ids));
    memcpy(out->revoked_tgid, rev.tgids, sizeof(rev.tgids));
    if (rev.total > rev.n) out->flags |= TZU_DF_LIMIT;
    if (!permissive) out->obligations |= TZU_OBL_REVOKE;
  } else {
    out->obligations &= ~TZU_OBL_REVOKE;
  }
  const bool audit = (rule && (rule->flags & kRuleAudit)) ||
                     (!rule && !lifecycle && (pflags & kPolicyAuditDefault)) ||
                     (out->flags & TZU_DF_WOULD_DENY) || rev.total;
  if (audit) {
    out->obligations |= TZU_OBL_AUDIT;
    if (!audit_.append(ev, *out) && !lifecycle) {
      // Fail-closed audit and the record could not be kept: deny.
      out->verdict = TZU_VERDICT_DENY;
      out->flags |= TZU_DF_AUDIT_FULL | TZU_DF_LIMIT;
      ++stats_.audit_full_denials;
    }
  }
  if (out->verdict == TZU_VERDICT_DENY) ++stats_.denied; else ++stats_.allowed;
  if (out->flags & TZU_DF_WOULD_DENY) ++stats_.permissive_denials;
}

Status Engine::decide(const tzu_event& ev, tzu_decision* out,
                      const Trace* trace, uint32_t cpu) {
  memset(out, 0, sizeof(*out));
  out->hdr.magic = TZU_MAGIC;
  out->hdr.version = TZU_ABI_VERSION;
  out->hdr.command = TZU_CMD_DECIDE;
  out->hdr.size = sizeof(*out);
  out->seq = ev.seq;
  out->epoch = epoch_;
  const uint32_t epoch_before = cache_epoch(ev.hook);
  out->cache_epoch = epoch_before;
  Status s = check_event(ev);
  if (s != Status::kOk) {
    ++stats_.errors;
    out->hdr.status = to_wire(s);
    out->verdict = TZU_VERDICT_DENY;
    return s;
  }
  ++stats_.decisions;
  ++stats_.per_hook[ev.hook];
  if (!active_) {
    out->flags = TZU_DF_NO_POLICY;
    ++stats_.allowed;
    return Status::kOk;
  }
  out->interest_mask = active_->interest_mask();
  if (boot_active_) out->flags |= TZU_DF_BOOT_POLICY;
  Revocations rev;
  const bool life = is_lifecycle(ev.hook);
  if (life) {
    lifecycle(ev, out, &rev);
  } else if (!(active_->interest_mask() & (1u << ev.hook))) {
    out->flags |= TZU_DF_FILTERED;
    ++stats_.filtered;
    ++stats_.allowed;
    return Status::kOk;
  }
  uint32_t permit_first = kNone;
  const uint32_t r = life ? kNone : decide_rules(ev, trace, &permit_first);
  const BlobRule* rule = r == kNone ? nullptr : &active_->rule(r);
  bool deny = false;
  bool changed = false;
  if (life) {
    // always allowed
  } else if (!rule) {
    out->flags |= TZU_DF_DEFAULT;
    deny = active_->header().flags & kPolicyDefaultDeny;
  } else if (audit_.full() && will_audit(*rule)) {
    // Its record cannot be kept: deny before any state changes.
    out->rule_id = rule->id;
    out->flags |= TZU_DF_AUDIT_FULL | TZU_DF_LIMIT;
    out->verdict = TZU_VERDICT_DENY;
    ++stats_.audit_full_denials;
    ++stats_.denied;
    return Status::kOk;
  } else {
    deny = rule->effect == kEffectDeny;
    if (!apply_rule(r, ev, out, &changed)) {  // cannot track state
      out->flags |= TZU_DF_LIMIT;
      deny = true;
    }
  }
  if (changed && active_->has_ongoing()) recheck_sessions(&rev);
  finish(ev, rule, deny, life, rev, out);
  if (rule && !life && active_->touches_process(*rule))
    out->flags |= TZU_DF_TASK_STATE;
  if (!life && rev.total == 0) {
    mark_cache(ev, rule, epoch_before, out);
    grant_lease(ev, rule, epoch_before, cpu, out);
  }
  reap_leases();
  out->cache_epoch = cache_epoch(ev.hook);
  return Status::kOk;
}

// Step 9 of engine.h: only a decision whose repetition the secure world
// cannot miss may be repeated by the kernel.
void Engine::mark_cache(const tzu_event& ev, const BlobRule* rule,
                        uint32_t epoch_before, tzu_decision* out) const {
  constexpr uint32_t kNotCacheable =
      TZU_DF_NO_POLICY | TZU_DF_LIMIT | TZU_DF_FILTERED | TZU_DF_WOULD_DENY |
      TZU_DF_AUDIT_FULL | TZU_DF_SESSION_OPENED | TZU_DF_TASK_STATE;
  const uint32_t fields = active_->hook_fields(ev.hook);
  if (out->hdr.status != TZU_OK || out->obligations || out->n_revoked ||
      (out->flags & kNotCacheable) || (fields & kPerEventFields))
    return;
  if (rule && (rule->pre_count || rule->post_count ||
               (rule->flags & (kRuleSession | kRuleAudit))))
    return;
  if (epoch_before == 0 || cache_epoch(ev.hook) != epoch_before) return;
  out->flags |= TZU_DF_CACHEABLE;
  out->cache_fields = fields;
}

void Engine::stats(tzu_stats* out) const {
  *out = stats_;
  out->hdr.magic = TZU_MAGIC;
  out->hdr.version = TZU_ABI_VERSION;
  out->hdr.command = TZU_CMD_GET_STATS;
  out->hdr.size = sizeof(*out);
  out->hdr.status = TZU_OK;
  out->audit_records = audit_.next_index();
  out->audit_dropped = audit_.dropped();
  out->epoch = epoch_;
  out->mode = mode_;
  out->live_sessions = sessions_ ? sessions_->live() : 0;
  out->interest_mask = interest_mask();
  out->policy_version = active_ ? active_->header().policy_version : 0;
  out->rollback_floor = floor_.set ? floor_.version : 0;
  out->integrity_state = TZU_INTEGRITY_UNKNOWN;
  static const char kName[] = "integrity_state";
  int64_t v;
  if (global_attr(kName, sizeof(kName) - 1, &v))
    out->integrity_state = static_cast<uint32_t>(v);
  out->flags = (boot_active_ ? TZU_SF_BOOT_POLICY : 0) |
               (audit_.fail_closed() ? TZU_SF_AUDIT_FAIL_CLOSED : 0);
}

}  // namespace ucon
