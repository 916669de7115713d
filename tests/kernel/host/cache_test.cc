// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cache_test.cc - kernel/tz_hooks/cache.c, the real code, on the host.
//
// The decision cache against a model secure world whose verdicts depend on
// exactly the fields its decisions name (cache_fields): every cached answer
// must be the model's for that event, whatever the fields outside the key
// hold; epochs and field sets change under it; leases are counted in their
// words and end when used up, closed or re-ticketed; decisions the kernel
// must not keep are refused. The e2e boots run the same code in the guest
// kernel (cache.*, enf.keys.lease). Stand-ins: host_support.c, include/.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "tzucon_abi.h"

extern "C" {
int tzh_cache_probe(const tzu_event* ev, uint32_t filled, uint32_t* verdict);
bool tzh_fields_same(const tzu_event* a, const tzu_event* b, uint32_t fields);
extern const int tzh_host_probe_miss, tzh_host_probe_hit, tzh_host_probe_unfilled;
void tzh_cache_insert(const tzu_event* ev, const tzu_decision* dec);
unsigned long tzh_host_counter(int c);
uint32_t* tzh_host_word(unsigned int cpu, uint32_t slot);
void tzh_host_publish(const tzu_shared_state* st);
extern unsigned int tzh_host_cpu;
extern const tzu_shared_state* tzu_epoch_state;
extern const int tzh_host_c_hook_events, tzh_host_c_cache_allowed,
    tzh_host_c_cache_denied, tzh_host_c_cache_fills, tzh_host_c_lease_uses;
}

namespace {

constexpr uint32_t F(uint32_t f) { return 1u << f; }

// What the kernel's tzh_cache_lookup() (common.h, inline) is: a probe of a
// whole event.
bool tzh_cache_lookup(const tzu_event* ev, uint32_t* verdict) {
  return tzh_cache_probe(ev, ~0u, verdict) == tzh_host_probe_hit;
}

// A shape of policy: the fields its verdicts read.
struct Shape {
  uint32_t fields;
};
const Shape kShapes[] = {
    {F(TZU_FIELD_HOOK) | F(TZU_FIELD_TGID) | F(TZU_FIELD_ID) | F(TZU_FIELD_OBJ_FLAGS)},
    {F(TZU_FIELD_HOOK) | F(TZU_FIELD_ID) | F(TZU_FIELD_NAME)},
    {F(TZU_FIELD_HOOK) | F(TZU_FIELD_START_TIME) | F(TZU_FIELD_EXE_INO) | F(TZU_FIELD_COMM)},
    {F(TZU_FIELD_HOOK)},
    {F(TZU_FIELD_HOOK) | F(TZU_FIELD_PROT) | F(TZU_FIELD_OLD_PROT) | F(TZU_FIELD_EXE_DEV) |
     F(TZU_FIELD_EXE_GEN) | F(TZU_FIELD_UID)},
};

class KernelCache : public ::testing::Test {
 protected:
  void SetUp() override {
    std::memset(&state_, 0, sizeof(state_));
    state_.magic = TZU_STATE_MAGIC;
    tzh_host_cpu = 0;
    tzh_host_publish(&state_);
  }
  // A new epoch for @hook: every entry of the hook's old epoch goes stale.
  void bump(uint32_t hook) { state_.hook_epoch[hook] = ++next_epoch_; }
  // One step of the differential tests: one of two hooks, and now and then
  // a policy change for it (a new epoch, maybe new fields); @shape holds
  // each hook's current entry of kShapes.
  struct Step {
    uint32_t hook, fields, epoch;
  };
  static constexpr uint32_t kDiffHooks[] = {TZU_HOOK_FILE_MPROTECT, TZU_HOOK_KEY_PERMISSION};
  void start_differential() {
    for (uint32_t h : kDiffHooks) bump(h);
  }
  Step step(std::mt19937& rng, uint32_t* shape);
  tzu_shared_state state_;
  uint32_t next_epoch_ = 100;
};

KernelCache::Step KernelCache::step(std::mt19937& rng, uint32_t* shape) {
  const uint32_t hook = kDiffHooks[rng() % 2];
  if (rng() % 400 == 0) {
    bump(hook);
    shape[hook] = static_cast<uint32_t>(rng() % (sizeof(kShapes) / sizeof(kShapes[0])));
  }
  return {hook, kShapes[shape[hook]].fields, state_.hook_epoch[hook]};
}

// An event of @hook with every other field zero.
tzu_event blank(uint32_t hook) {
  tzu_event ev;
  std::memset(&ev, 0, sizeof(ev));
  ev.hook = hook;
  return ev;
}

// A file-like object: @id and @name set (the key of kIdName below).
tzu_event named(uint32_t hook, uint32_t id, const char* name) {
  tzu_event ev = blank(hook);
  ev.object.id = id;
  std::snprintf(ev.object.name, sizeof(ev.object.name), "%s", name);
  return ev;
}

constexpr uint32_t kIdName = F(TZU_FIELD_HOOK) | F(TZU_FIELD_ID) | F(TZU_FIELD_NAME);

// An event with every field random over a small domain.
tzu_event random_event(std::mt19937& rng, uint32_t hook) {
  tzu_event ev = blank(hook);
  auto pick = [&](uint32_t n) { return static_cast<uint32_t>(rng() % n); };
  ev.subject.pid = 100 + pick(50);  // never in a key here: must not matter
  ev.subject.tgid = 1 + pick(3);
  ev.subject.uid = pick(2);
  ev.subject.exe_dev = pick(2);
  ev.subject.exe_gen = pick(2);
  ev.subject.exe_ino = (static_cast<uint64_t>(pick(2)) << 32) | pick(2);
  ev.subject.start_time = (static_cast<uint64_t>(pick(2)) << 32) | pick(2);
  std::snprintf(ev.subject.comm, sizeof(ev.subject.comm), "c%u", pick(2));
  ev.object.addr = 0x1000u * pick(1000);  // never in a key here
  ev.object.prot = pick(2);
  ev.object.old_prot = pick(2);
  ev.object.flags = 1u << pick(2);
  ev.object.id = 1 + pick(4);
  std::snprintf(ev.object.name, sizeof(ev.object.name), "n%u", pick(2));
  return ev;
}

// Where the fields the shapes use are.
const struct Where {
  uint32_t field, off, size;
} kWhere[] = {
    {TZU_FIELD_TGID, offsetof(tzu_event, subject.tgid), 4},
    {TZU_FIELD_UID, offsetof(tzu_event, subject.uid), 4},
    {TZU_FIELD_EXE_DEV, offsetof(tzu_event, subject.exe_dev), 4},
    {TZU_FIELD_EXE_GEN, offsetof(tzu_event, subject.exe_gen), 4},
    {TZU_FIELD_EXE_INO, offsetof(tzu_event, subject.exe_ino), 8},
    {TZU_FIELD_START_TIME, offsetof(tzu_event, subject.start_time), 8},
    {TZU_FIELD_COMM, offsetof(tzu_event, subject.comm), TZU_COMM_LEN},
    {TZU_FIELD_PROT, offsetof(tzu_event, object.prot), 4},
    {TZU_FIELD_OLD_PROT, offsetof(tzu_event, object.old_prot), 4},
    {TZU_FIELD_OBJ_FLAGS, offsetof(tzu_event, object.flags), 4},
    {TZU_FIELD_ID, offsetof(tzu_event, object.id), 4},
    {TZU_FIELD_NAME, offsetof(tzu_event, object.name), TZU_NAME_LEN},
};

// The model's verdict: a mix of exactly @fields' bytes and the epoch.
uint32_t model(const tzu_event& ev, uint32_t fields, uint32_t epoch) {
  uint32_t h = epoch * 2654435761u;
  const auto* b = reinterpret_cast<const uint8_t*>(&ev);
  for (const auto& w : kWhere)
    if (fields & F(w.field))
      for (uint32_t i = 0; i < w.size; ++i) h = (h ^ b[w.off + i]) * 16777619u;
  return (h >> 13) & 1 ? TZU_VERDICT_DENY : TZU_VERDICT_ALLOW;
}

tzu_decision cacheable(uint32_t verdict, uint32_t fields, uint32_t epoch) {
  tzu_decision d;
  std::memset(&d, 0, sizeof(d));
  d.hdr.status = TZU_OK;
  d.verdict = verdict;
  d.flags = TZU_DF_CACHEABLE;
  d.cache_fields = fields;
  d.cache_epoch = epoch;
  return d;
}

// Differential: two hooks, shapes and epochs changing under the cache;
// every hit must be the model's verdict for that very event.
TEST_F(KernelCache, EveryHitIsTheModelsVerdict) {
  for (uint32_t seed = 1; seed <= 5; ++seed) {
    std::mt19937 rng(seed);
    uint32_t shape[TZU_HOOK_COUNT] = {};
    start_differential();
    unsigned long hits = 0, steps = 0, wrong = 0;
    const unsigned long events0 = tzh_host_counter(tzh_host_c_hook_events);
    for (int i = 0; i < 20000; ++i, ++steps) {
      const auto [hook, fields, epoch] = step(rng, shape);
      tzu_event ev = random_event(rng, hook);
      uint32_t v = 99;
      if (tzh_cache_lookup(&ev, &v)) {
        ++hits;
        if (v != model(ev, fields, epoch)) ++wrong;
        continue;
      }
      const tzu_decision d = cacheable(model(ev, fields, epoch), fields, epoch);
      tzh_cache_insert(&ev, &d);
    }
    EXPECT_EQ(wrong, 0u) << "seed " << seed;
    // The small domains make most events repeats: the cache must be used.
    EXPECT_GT(hits, steps / 2) << "seed " << seed;
    EXPECT_EQ(tzh_host_counter(tzh_host_c_hook_events) - events0, steps);
  }
}

// A probe before the event is filled whole (key_permission's): only the
// fields it says it filled may decide a hit; every other byte is garbage.
// A key that needs more is not answered and the event not counted, so
// the hook fills it whole and looks it up as any other (tzh_decide()).
TEST_F(KernelCache, AProbeReadsOnlyTheFieldsItFilled) {
  for (uint32_t seed = 1; seed <= 5; ++seed) {
    std::mt19937 rng(seed);
    uint32_t shape[TZU_HOOK_COUNT] = {};
    start_differential();
    unsigned long hits = 0, unfilled = 0, steps = 0, wrong = 0;
    const unsigned long events0 = tzh_host_counter(tzh_host_c_hook_events);
    for (int i = 0; i < 20000; ++i, ++steps) {
      const auto [hook, fields, epoch] = step(rng, shape);
      const tzu_event ev = random_event(rng, hook);
      // The probe: the hook and a random part of the fields; the rest is
      // noise, or another event's values (of the same small domains, so
      // that a probe reading a field it did not fill would often hit).
      tzu_event probe = random_event(rng, hook);
      auto* pb = reinterpret_cast<uint8_t*>(&probe);
      if (rng() % 2)
        for (size_t b = 0; b < sizeof(probe); ++b) pb[b] = static_cast<uint8_t>(rng());
      probe.hook = hook;
      uint32_t filled = F(TZU_FIELD_HOOK);
      for (const auto& w : kWhere)
        if (rng() % 4) {
          filled |= F(w.field);
          std::memcpy(pb + w.off, reinterpret_cast<const uint8_t*>(&ev) + w.off, w.size);
        }
      const unsigned long before = tzh_host_counter(tzh_host_c_hook_events);
      uint32_t v = 99;
      const int got = tzh_cache_probe(&probe, filled, &v);
      if (got == tzh_host_probe_hit) {
        ++hits;
        if (v != model(ev, fields, epoch) || (fields & ~filled)) ++wrong;
        continue;
      }
      if (got == tzh_host_probe_unfilled) {
        ++unfilled;
        EXPECT_NE(fields & ~filled, 0u) << "seed " << seed << " step " << i;
        EXPECT_EQ(tzh_host_counter(tzh_host_c_hook_events), before) << "counted twice";
        if (tzh_cache_lookup(&ev, &v)) {
          ++hits;
          if (v != model(ev, fields, epoch)) ++wrong;
          continue;
        }
      } else {
        ASSERT_EQ(got, tzh_host_probe_miss);
      }
      const tzu_decision d = cacheable(model(ev, fields, epoch), fields, epoch);
      tzh_cache_insert(&ev, &d);
    }
    EXPECT_EQ(wrong, 0u) << "seed " << seed;
    EXPECT_GT(hits, steps / 3) << "seed " << seed;
    EXPECT_GT(unfilled, steps / 10) << "seed " << seed;
    EXPECT_EQ(tzh_host_counter(tzh_host_c_hook_events) - events0, steps);
  }
}

// What key_permission's once-a-boot probe check compares with: exactly
// the named fields, byte for byte, the last byte of each included.
TEST_F(KernelCache, FieldsSameComparesExactlyTheNamedFields) {
  std::mt19937 rng(7);
  const tzu_event a = random_event(rng, TZU_HOOK_KEY_PERMISSION);
  uint32_t all = F(TZU_FIELD_HOOK);
  for (const auto& w : kWhere) all |= F(w.field);
  tzu_event b = a;
  EXPECT_TRUE(tzh_fields_same(&a, &b, all));
  for (const auto& w : kWhere) {
    b = a;
    reinterpret_cast<uint8_t*>(&b)[w.off + w.size - 1] ^= 0x80;
    EXPECT_FALSE(tzh_fields_same(&a, &b, all)) << "field " << w.field;
    EXPECT_TRUE(tzh_fields_same(&a, &b, all & ~F(w.field))) << "field " << w.field;
  }
  b = a;
  b.hook ^= 1;
  EXPECT_FALSE(tzh_fields_same(&a, &b, F(TZU_FIELD_HOOK)));
  EXPECT_FALSE(tzh_fields_same(&a, &a, 1u << 31)) << "a field the table does not know";
}

// A field outside the key never matters; one inside always does.
TEST_F(KernelCache, OnlyTheKeysFieldsDecideAHit) {
  const uint32_t hook = TZU_HOOK_FILE_MPROTECT;
  bump(hook);
  const tzu_event ev = named(hook, 7, "libc.so");
  const tzu_decision d = cacheable(TZU_VERDICT_DENY, kIdName, state_.hook_epoch[hook]);
  tzh_cache_insert(&ev, &d);
  uint32_t v = 0;
  tzu_event other = ev;
  other.subject.pid = 4242;  // not in the key
  other.object.addr = 0xdead000;
  ASSERT_TRUE(tzh_cache_lookup(&other, &v));
  EXPECT_EQ(v, TZU_VERDICT_DENY);
  other = ev;
  other.object.name[TZU_NAME_LEN - 1] = 'x';  // the last byte of a key field
  EXPECT_FALSE(tzh_cache_lookup(&other, &v));
  other = ev;
  other.object.id = 8;
  EXPECT_FALSE(tzh_cache_lookup(&other, &v));
  other = ev;
  other.hook = TZU_HOOK_MMAP_FILE;  // another hook's question
  EXPECT_FALSE(tzh_cache_lookup(&other, &v));
  bump(hook);  // stale
  EXPECT_FALSE(tzh_cache_lookup(&ev, &v));
}

// Two keys of the same set hash are told apart by the full compare. The
// pair is built for tzh_key_hash() as it is (per key word: rotate right by
// 5, exclusive-or the word; one bijective mix at the end): a difference d
// in one word and ror(d, 5) in the next cancel out. Should the hash
// change, this pair must be built anew.
TEST_F(KernelCache, ACollidingKeyIsComparedInFull) {
  const uint32_t hook = TZU_HOOK_FILE_MPROTECT;
  bump(hook);
  const uint32_t fields = kIdName;
  const tzu_event a = named(hook, 7, "libc.so");
  const uint32_t d = 0x10;
  tzu_event b = a;  // object.id and the first word of object.name are adjacent key words
  b.object.id ^= d;
  uint32_t w0;
  std::memcpy(&w0, b.object.name, 4);
  w0 ^= (d >> 5) | (d << 27);
  std::memcpy(b.object.name, &w0, 4);
  const tzu_decision da = cacheable(TZU_VERDICT_DENY, fields, state_.hook_epoch[hook]);
  tzh_cache_insert(&a, &da);
  uint32_t v = 99;
  EXPECT_TRUE(tzh_cache_lookup(&a, &v));
  EXPECT_FALSE(tzh_cache_lookup(&b, &v)) << "a key with a's hash answered as a";
  // and b's own entry then answers b, and a still a
  const tzu_decision db = cacheable(TZU_VERDICT_ALLOW, fields, state_.hook_epoch[hook]);
  tzh_cache_insert(&b, &db);
  ASSERT_TRUE(tzh_cache_lookup(&b, &v));
  EXPECT_EQ(v, TZU_VERDICT_ALLOW);
  ASSERT_TRUE(tzh_cache_lookup(&a, &v));
  EXPECT_EQ(v, TZU_VERDICT_DENY);
}

// What the kernel must carry out, or cannot key, is never kept.
TEST_F(KernelCache, RefusesWhatItMustNotKeep) {
  const uint32_t hook = TZU_HOOK_FILE_MPROTECT;
  bump(hook);
  const uint32_t e = state_.hook_epoch[hook];
  tzu_event ev = blank(hook);
  ev.object.id = 1;
  const uint32_t fields = F(TZU_FIELD_HOOK) | F(TZU_FIELD_ID);
  tzu_decision bad[8];
  for (auto& d : bad) d = cacheable(TZU_VERDICT_ALLOW, fields, e);
  bad[0].cache_fields = F(TZU_FIELD_ID);  // without the hook's own field
  bad[1].flags = 0;                        // not cacheable
  bad[2].obligations = TZU_OBL_AUDIT;
  bad[3].flags |= TZU_DF_SESSION_OPENED;
  bad[4].cache_fields = fields | F(TZU_FIELD_SEQ);  // filled only at send
  bad[5].cache_epoch = 0;
  bad[6].n_revoked = 1;
  bad[7].flags |= TZU_DF_TASK_STATE;
  const unsigned long fills = tzh_host_counter(tzh_host_c_cache_fills);
  uint32_t v;
  for (int i = 0; i < 8; ++i) {
    tzh_cache_insert(&ev, &bad[i]);
    EXPECT_FALSE(tzh_cache_lookup(&ev, &v)) << "decision " << i;
  }
  // No field at all, on a hook nothing was ever stored for (its remembered
  // field set is still 0): refused, not a wildcard entry.
  tzu_event bpf = ev;
  bpf.hook = TZU_HOOK_BPF_PROG_LOAD;
  bump(TZU_HOOK_BPF_PROG_LOAD);
  const tzu_decision none = cacheable(TZU_VERDICT_ALLOW, 0, state_.hook_epoch[TZU_HOOK_BPF_PROG_LOAD]);
  tzh_cache_insert(&bpf, &none);
  EXPECT_FALSE(tzh_cache_lookup(&bpf, &v));
  EXPECT_EQ(tzh_host_counter(tzh_host_c_cache_fills), fills);
  // A well-formed one right after is kept (the refusals left no state).
  const tzu_decision good = cacheable(TZU_VERDICT_ALLOW, fields, e);
  tzh_cache_insert(&ev, &good);
  EXPECT_TRUE(tzh_cache_lookup(&ev, &v));
}

tzu_decision lease(uint32_t ticket, uint8_t slot, uint16_t uses, uint32_t fields,
                   uint32_t epoch) {
  tzu_decision d = cacheable(TZU_VERDICT_ALLOW, fields, epoch);
  d.flags = TZU_DF_LEASE | TZU_DF_TASK_STATE;
  d.lease_ticket = ticket;
  d.lease_slot = slot;
  d.lease_cpu = 0;
  d.lease_uses = uses;
  return d;
}

// A lease answers exactly its uses, each counted in its word, and ends
// when used up, closed (word 0) or re-ticketed by the secure world.
TEST_F(KernelCache, LeaseUsesAreCountedInTheWord) {
  const uint32_t hook = TZU_HOOK_KEY_PERMISSION;
  bump(hook);
  const uint32_t fields = F(TZU_FIELD_HOOK) | F(TZU_FIELD_TGID) | F(TZU_FIELD_ID);
  tzu_event ev = blank(hook);
  ev.subject.tgid = 5;
  ev.object.id = 9;
  uint32_t* w = tzh_host_word(0, 3);
  const uint16_t sizes[] = {1, 7, static_cast<uint16_t>(TZU_LEASE_MAX_USES)};
  for (uint16_t uses : sizes) {
    const uint32_t ticket = 40 + uses;
    *w = ticket << TZU_LEASE_TICKET_SHIFT;  // what the grant writes
    const tzu_decision d = lease(ticket, 3, uses, fields, state_.hook_epoch[hook]);
    tzh_cache_insert(&ev, &d);
    const unsigned long taken0 = tzh_host_counter(tzh_host_c_lease_uses);
    uint32_t v, n = 0;
    while (n <= TZU_LEASE_MAX_USES && tzh_cache_lookup(&ev, &v)) ++n;
    EXPECT_EQ(n, uses);
    EXPECT_EQ(*w, (ticket << TZU_LEASE_TICKET_SHIFT) | uses);
    EXPECT_EQ(tzh_host_counter(tzh_host_c_lease_uses) - taken0, uses);
  }
  // Closed by the secure world (exchanged for 0): the next use is sent.
  *w = 77u << TZU_LEASE_TICKET_SHIFT;
  tzu_decision d = lease(77, 3, 10, fields, state_.hook_epoch[hook]);
  tzh_cache_insert(&ev, &d);
  uint32_t v;
  EXPECT_TRUE(tzh_cache_lookup(&ev, &v));
  *w = 0;
  EXPECT_FALSE(tzh_cache_lookup(&ev, &v));
  EXPECT_EQ(*w, 0u);
  // Re-ticketed (the word reused for another lease): not this entry's.
  *w = 78u << TZU_LEASE_TICKET_SHIFT;
  d = lease(78, 3, 10, fields, state_.hook_epoch[hook]);
  tzh_cache_insert(&ev, &d);
  *w = 79u << TZU_LEASE_TICKET_SHIFT;
  EXPECT_FALSE(tzh_cache_lookup(&ev, &v));
  EXPECT_EQ(*w, 79u << TZU_LEASE_TICKET_SHIFT);  // untouched
  // Malformed leases are refused: too many uses, a ticket past 24 bits,
  // a slot out of range, another CPU's lease, a deny.
  tzu_decision bad[5];
  for (auto& b : bad) b = lease(80, 3, 10, fields, state_.hook_epoch[hook]);
  bad[0].lease_uses = TZU_LEASE_MAX_USES + 1;
  bad[1].lease_ticket = 1u << (32 - TZU_LEASE_TICKET_SHIFT);
  bad[2].lease_slot = TZU_LEASE_WORDS;
  bad[3].lease_cpu = 1;
  bad[4].verdict = TZU_VERDICT_DENY;
  *w = 80u << TZU_LEASE_TICKET_SHIFT;
  for (int i = 0; i < 5; ++i) {
    tzh_cache_insert(&ev, &bad[i]);
    EXPECT_FALSE(tzh_cache_lookup(&ev, &v)) << "lease " << i;
  }
  EXPECT_EQ(*w, 80u << TZU_LEASE_TICKET_SHIFT);
}

// An epoch older than one already read turns the cache off for good.
TEST_F(KernelCache, AnEpochGoingBackTurnsTheCacheOff) {
  const uint32_t hook = TZU_HOOK_FILE_MPROTECT;
  bump(hook);
  const tzu_event ev = blank(hook);
  const tzu_decision d = cacheable(TZU_VERDICT_ALLOW, F(TZU_FIELD_HOOK), state_.hook_epoch[hook]);
  tzh_cache_insert(&ev, &d);
  uint32_t v;
  ASSERT_TRUE(tzh_cache_lookup(&ev, &v));
  const uint32_t seen = state_.hook_epoch[hook];
  state_.hook_epoch[hook] = seen - 1;  // someone wrote an old epoch
  EXPECT_FALSE(tzh_cache_lookup(&ev, &v));
  EXPECT_EQ(tzu_epoch_state, nullptr);
  state_.hook_epoch[hook] = seen;  // and the real one back
  EXPECT_FALSE(tzh_cache_lookup(&ev, &v));
}

}  // namespace
