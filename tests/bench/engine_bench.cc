// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// engine_bench.cc - Google Benchmark figures of the UCON engine: decision
// latency against policy size (indexed and unindexed rules), attribute
// updates with live sessions, and audit appends. Policies are generated as
// JSON and compiled with the real policy compiler; each benchmark first
// checks that its events get the decisions they are meant to measure.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "audit_log.h"
#include "compiler.h"
#include "crypto.h"
#include "ed25519.h"
#include "engine.h"
#include "policy_gen.h"

namespace {

using bench::Family;

constexpr std::uint32_t kEvents = 16;  // events cycled per benchmark

struct Loaded {
  std::vector<std::uint64_t> arena;
  ucon::Engine engine;
  bench::GeneratedPolicy gen;
  std::string error;  // non-empty: setup failed
};

const policyc::Key& bench_key() {
  static const policyc::Key key(32, 0x5a);
  return key;
}

std::unique_ptr<Loaded> load(const std::string& json,
                             std::uint32_t max_sessions = 256) {
  auto l = std::make_unique<Loaded>();
  const policyc::CompileResult r = policyc::compile(json, &bench_key());
  if (!r.ok) {
    l->error = "policy compile failed: " + r.errors.front().to_string();
    return l;
  }
  ucon::EngineConfig cfg;
  cfg.max_sessions = max_sessions;
  cfg.max_attr_entries = 2048;
  cfg.max_blob_bytes =
      static_cast<std::uint32_t>(r.blob.size() < 256 ? 256 : r.blob.size());
  l->arena.resize(ucon::Engine::arena_bytes(cfg) / 8 + 1);
  // compile(json, &seed) signs with the seed for policyc::kHostTestDevice.
  std::uint8_t pub[32];
  ucon::ed25519_public_key(bench_key().data(), pub);
  ucon::Status s =
      l->engine.init(l->arena.data(), l->arena.size() * 8, cfg, pub,
                     policyc::kHostTestDevice.data());
  ucon::LoadResult lr;
  if (s == ucon::Status::kOk) s = l->engine.load_policy(r.blob.data(), r.blob.size(), &lr);
  if (s != ucon::Status::kOk) {
    l->error = std::string("engine setup failed: ") + ucon::status_name(s);
  }
  return l;
}

// Compiled once per size and shared by the hit/miss benchmarks.
Loaded* indexed(std::uint32_t n_rules) {
  static std::map<std::uint32_t, std::unique_ptr<Loaded>> cache;
  auto& slot = cache[n_rules];
  if (!slot) {
    bench::GeneratedPolicy g = bench::indexed_policy(n_rules);
    slot = load(g.json);
    slot->gen = std::move(g);
  }
  return slot.get();
}

std::uint32_t family_count(const bench::GeneratedPolicy& g, Family f) {
  return f == Family::kModule ? g.n_module
         : f == Family::kKey  ? g.n_key
                              : g.n_mprotect;
}

std::uint32_t family_first_id(const bench::GeneratedPolicy& g, Family f) {
  return f == Family::kModule ? g.first_module_id
         : f == Family::kKey  ? g.first_key_id
                              : g.first_mprotect_id;
}

// Decides evs with the engine and checks the intended outcome: a hit is
// denied by exactly its rule, a miss falls through to the default permit.
bool check(ucon::Engine& e, const std::vector<tzu_event>& evs,
           const std::vector<std::uint32_t>& want_rule, std::string* err) {
  for (std::size_t i = 0; i < evs.size(); ++i) {
    tzu_decision d;
    if (e.decide(evs[i], &d) != ucon::Status::kOk) {
      *err = "decide failed";
      return false;
    }
    const bool hit = want_rule[i] != 0;
    const bool ok = hit ? d.verdict == TZU_VERDICT_DENY && d.rule_id == want_rule[i]
                        : d.verdict == TZU_VERDICT_ALLOW && (d.flags & TZU_DF_DEFAULT);
    if (!ok) {
      *err = "event " + std::to_string(i) + ": verdict " +
             std::to_string(d.verdict) + " rule " + std::to_string(d.rule_id) +
             ", want rule " + std::to_string(want_rule[i]);
      return false;
    }
  }
  return true;
}

void run_decisions(benchmark::State& state, ucon::Engine& e,
                   const std::vector<tzu_event>& evs) {
  tzu_decision d;
  std::uint32_t i = 0;
  for (auto _ : state) {
    e.decide(evs[i++ % evs.size()], &d);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_Decide(benchmark::State& state, Family f, bool hit) {
  const auto n_rules = static_cast<std::uint32_t>(state.range(0));
  Loaded* l = indexed(n_rules);
  if (!l->error.empty()) {
    state.SkipWithError(l->error.c_str());
    return;
  }
  const std::uint32_t count = family_count(l->gen, f);
  std::vector<tzu_event> evs;
  std::vector<std::uint32_t> want;
  for (std::uint32_t i = 0; i < kEvents; ++i) {
    // Hits spread over the whole family, not just its first rules.
    const std::uint32_t k = static_cast<std::uint32_t>(
        (std::uint64_t{count} * (2 * i + 1)) / (2 * kEvents));
    evs.push_back(hit ? bench::hit_event(f, k) : bench::miss_event(f, i));
    want.push_back(hit ? family_first_id(l->gen, f) + k : 0);
  }
  std::string err;
  if (!check(l->engine, evs, want, &err)) {
    state.SkipWithError(err.c_str());
    return;
  }
  run_decisions(state, l->engine, evs);
}

void BM_DecideUnindexed(benchmark::State& state) {
  const auto n_rules = static_cast<std::uint32_t>(state.range(0));
  static std::map<std::uint32_t, std::unique_ptr<Loaded>> cache;
  auto& l = cache[n_rules];
  if (!l) l = load(bench::unindexed_policy(n_rules));
  if (!l->error.empty()) {
    state.SkipWithError(l->error.c_str());
    return;
  }
  const std::vector<tzu_event> evs(1, bench::unindexed_miss_event());
  std::string err;
  if (!check(l->engine, evs, {0}, &err)) {
    state.SkipWithError(err.c_str());
    return;
  }
  run_decisions(state, l->engine, evs);
}

// 1,000 uid-range rules, an event inside rule k's range (k spread over all).
void BM_DecideRangeHit(benchmark::State& state) {
  const auto n_rules = static_cast<std::uint32_t>(state.range(0));
  static std::map<std::uint32_t, std::unique_ptr<Loaded>> cache;
  auto& l = cache[n_rules];
  if (!l) l = load(bench::unindexed_policy(n_rules));
  if (!l->error.empty()) {
    state.SkipWithError(l->error.c_str());
    return;
  }
  std::vector<tzu_event> evs;
  std::vector<std::uint32_t> want;
  for (std::uint32_t i = 0; i < kEvents; ++i) {
    const std::uint32_t k = n_rules * (2 * i + 1) / (2 * kEvents);
    evs.push_back(bench::unindexed_hit_event(k));
    want.push_back(k + 1);
  }
  std::string err;
  if (!check(l->engine, evs, want, &err)) {
    state.SkipWithError(err.c_str());
    return;
  }
  run_decisions(state, l->engine, evs);
}

// Bit-test rules (bits_all on object.flags); a miss tests a bit no rule
// needs, a hit one that 1/24 of the rules need.
void BM_DecideBits(benchmark::State& state, bool hit) {
  const auto n_rules = static_cast<std::uint32_t>(state.range(0));
  static std::map<std::uint32_t, std::unique_ptr<Loaded>> cache;
  auto& l = cache[n_rules];
  if (!l) l = load(bench::bit_policy(n_rules));
  if (!l->error.empty()) {
    state.SkipWithError(l->error.c_str());
    return;
  }
  std::vector<tzu_event> evs;
  std::vector<std::uint32_t> want;
  for (std::uint32_t i = 0; i < kEvents; ++i) {
    const std::uint32_t bit = hit ? i % 24 : 24 + i % 7, hi = i % 7;
    evs.push_back(bench::bit_event(bit, hi));
    std::uint32_t first = 0;  // deny-overrides, all deny: the first match
    for (std::uint32_t k = 0; hit && k < n_rules && !first; ++k)
      if (k % 24 == bit && k % 7 == hi) first = k + 1;
    want.push_back(first);
  }
  std::string err;
  if (!check(l->engine, evs, want, &err)) {
    state.SkipWithError(err.c_str());
    return;
  }
  run_decisions(state, l->engine, evs);
}

// A process exit (TASK_EXIT) while `others` other processes hold a live
// session each and 1,000 processes hold 2,000 per-process attribute
// entries. With own_state, each iteration first gives the exiting process
// a session and an entry (a file_mprotect decision), so it is the cost of
// that decision plus an exit that ends them.
void BM_TaskExit(benchmark::State& state) {
  const auto others = static_cast<std::uint32_t>(state.range(0));
  const bool own_state = state.range(1) != 0;
  auto l = load(bench::exit_policy());
  if (!l->error.empty()) {
    state.SkipWithError(l->error.c_str());
    return;
  }
  tzu_decision d;
  for (std::uint32_t i = 0; others && i < 1000; ++i) {
    tzu_event ev = bench::base_event(TZU_HOOK_KEY_PERMISSION);
    ev.subject.tgid = ev.subject.pid = 10000 + i;
    l->engine.decide(ev, &d);
    if (i >= others) continue;
    ev.hook = TZU_HOOK_FILE_MPROTECT;
    l->engine.decide(ev, &d);
    if (!(d.flags & TZU_DF_SESSION_OPENED)) {
      state.SkipWithError("file_mprotect did not open a session");
      return;
    }
  }
  if (l->engine.live_sessions() != others) {
    state.SkipWithError("wrong number of live sessions");
    return;
  }
  tzu_event use = bench::base_event(TZU_HOOK_FILE_MPROTECT);
  use.subject.tgid = use.subject.pid = 7;
  tzu_event exit_ev = use;
  exit_ev.hook = TZU_HOOK_TASK_EXIT;
  for (auto _ : state) {
    if (own_state) l->engine.decide(use, &d);
    l->engine.decide(exit_ev, &d);
    benchmark::DoNotOptimize(d);
  }
  if (l->engine.live_sessions() != others) {
    state.SkipWithError("an exit left or ended the wrong sessions");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

// Global attribute update; each live session's ongoing predicate reads it,
// so the engine re-checks all of them (none is revoked: 0/1 != 2).
void BM_UpdateAttrGlobal(benchmark::State& state) {
  const auto n_sessions = static_cast<std::uint32_t>(state.range(0));
  auto l = load(bench::attribute_policy(), n_sessions + 1);
  if (!l->error.empty()) {
    state.SkipWithError(l->error.c_str());
    return;
  }
  for (std::uint32_t i = 0; i < n_sessions; ++i) {
    tzu_event ev = bench::base_event(TZU_HOOK_KEY_ALLOC);
    ev.subject.tgid = 1000 + i;
    ev.object.id = 5000 + i;
    tzu_decision d;
    l->engine.decide(ev, &d);
    if (!(d.flags & TZU_DF_SESSION_OPENED)) {
      state.SkipWithError("key_alloc did not open a session");
      return;
    }
  }
  if (l->engine.live_sessions() != n_sessions) {
    state.SkipWithError("wrong number of live sessions");
    return;
  }
  // integrity_state is writer "secure": set as a measurement would.
  static const char kName[] = "integrity_state";
  std::int64_t value = 0;
  for (auto _ : state) {
    ucon::Revocations rev;
    l->engine.set_secure_attr(kName, sizeof(kName) - 1, value, &rev);
    benchmark::DoNotOptimize(rev);
    value ^= 1;
  }
  if (l->engine.live_sessions() != n_sessions) {
    state.SkipWithError("an update revoked a session");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

// Per-process admin attribute (key_quota += 1, as an authorized UPDATE_ATTR)
// over 512 processes.
void BM_UpdateAttrSubject(benchmark::State& state) {
  auto l = load(bench::attribute_policy());
  if (!l->error.empty()) {
    state.SkipWithError(l->error.c_str());
    return;
  }
  static const char kName[] = "key_quota";
  std::uint64_t tgid = 0;
  ucon::Status last = ucon::Status::kOk;
  for (auto _ : state) {
    ucon::Revocations rev;
    std::int64_t now;
    last = l->engine.update_attr(kName, sizeof(kName) - 1, TZU_ATTR_OP_ADD,
                                 1000 + (tgid++ & 511), 1, &now, &rev);
    benchmark::DoNotOptimize(now);
  }
  if (last != ucon::Status::kOk) {
    state.SkipWithError(ucon::status_name(last));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

// One audit record: SHA-256 of the 320-byte event plus the chain hash.
void BM_AuditAppend(benchmark::State& state) {
  std::vector<tzu_audit_record> ring(ucon::kDefaultAuditRecords);
  ucon::AuditLog log;
  log.init(ring.data(), static_cast<std::uint32_t>(ring.size()));
  tzu_event ev = bench::hit_event(Family::kModule, 3);
  tzu_decision d{};
  d.verdict = TZU_VERDICT_DENY;
  d.rule_id = 4;
  d.obligations = TZU_OBL_AUDIT;
  for (auto _ : state) {
    ++ev.seq;
    log.append(ev, d);
  }
  benchmark::DoNotOptimize(log.next_index());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_Sha256Event(benchmark::State& state) {
  const tzu_event ev = bench::hit_event(Family::kModule, 3);
  std::uint8_t out[ucon::kSha256Len];
  for (auto _ : state) {
    ucon::sha256(&ev, sizeof(ev), out);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * sizeof(ev)));
}

void rule_counts(benchmark::internal::Benchmark* b) {
  for (std::int64_t n : {10, 100, 1000, 10000}) b->Arg(n);
  b->ArgName("rules");
}

}  // namespace

BENCHMARK_CAPTURE(BM_Decide, module_hit, Family::kModule, true)->Apply(rule_counts);
BENCHMARK_CAPTURE(BM_Decide, module_miss, Family::kModule, false)->Apply(rule_counts);
BENCHMARK_CAPTURE(BM_Decide, key_hit, Family::kKey, true)->Apply(rule_counts);
BENCHMARK_CAPTURE(BM_Decide, key_miss, Family::kKey, false)->Apply(rule_counts);
BENCHMARK_CAPTURE(BM_Decide, mprotect_hit, Family::kMprotect, true)->Apply(rule_counts);
BENCHMARK_CAPTURE(BM_Decide, mprotect_miss, Family::kMprotect, false)->Apply(rule_counts);
BENCHMARK(BM_DecideUnindexed)->Apply(rule_counts);
BENCHMARK(BM_DecideRangeHit)->Apply(rule_counts);
BENCHMARK_CAPTURE(BM_DecideBits, miss, false)->Apply(rule_counts);
BENCHMARK_CAPTURE(BM_DecideBits, hit, true)->Apply(rule_counts);
BENCHMARK(BM_TaskExit)->ArgNames({"others", "own"})
    ->Args({0, 0})->Args({200, 0})->Args({0, 1})->Args({200, 1});
BENCHMARK(BM_UpdateAttrGlobal)->ArgName("sessions")->Arg(0)->Arg(16)->Arg(256);
BENCHMARK(BM_UpdateAttrSubject);
BENCHMARK(BM_AuditAppend);
BENCHMARK(BM_Sha256Event);

BENCHMARK_MAIN();
