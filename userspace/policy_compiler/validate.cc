// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// validate.cc - uniqueness and policy-wide limits.
#include "validate.h"

#include <map>

#include "fields.h"
#include "limits.h"

namespace policyc {

std::size_t node_count(const Expr& e) {
  std::size_t n = 1;
  for (const Expr& k : e.kids) n += node_count(k);
  return n;
}

namespace {

std::uint32_t name_hash(const std::string& s) {
  return ucon::fnv1a32(s.data(), s.size());
}

void check_rules_unique(const Policy& p, DiagSink* diag) {
  std::map<std::uint32_t, const Rule*> ids;
  std::map<std::string, const Rule*> names;
  std::map<std::uint32_t, const Rule*> hashes;
  for (const Rule& r : p.rules) {
    auto id = ids.emplace(r.id, &r);
    if (!id.second) {
      diag->error(r.pointer + "/id", "duplicate rule id " +
                                         std::to_string(r.id) +
                                         " (also used at " +
                                         id.first->second->pointer + ")");
    }
    auto name = names.emplace(r.name, &r);
    if (!name.second) {
      diag->error(r.pointer + "/name", "duplicate rule name " + quote(r.name) +
                                           " (also used at " +
                                           name.first->second->pointer + ")");
      continue;
    }
    auto hash = hashes.emplace(name_hash(r.name), &r);
    if (!hash.second) {
      diag->error(r.pointer + "/name",
                  "rule name " + quote(r.name) + " has the same 32-bit hash as " +
                      quote(hash.first->second->name) + "; rename one");
    }
  }
}

void check_attr_hashes(const Policy& p, DiagSink* diag) {
  std::map<std::uint32_t, const AttrDecl*> hashes;
  for (const AttrDecl& a : p.attrs) {
    auto hash = hashes.emplace(name_hash(a.name), &a);
    if (!hash.second) {
      diag->error_at_key(a.pointer, "attribute name " + quote(a.name) +
                                        " has the same 32-bit hash as " +
                                        quote(hash.first->second->name) +
                                        "; rename one");
    }
  }
}

void check_totals(const Policy& p, DiagSink* diag) {
  std::size_t nodes = 0, updates = 0;
  bool nodes_reported = false, updates_reported = false;
  for (const Rule& r : p.rules) {
    for (const std::optional<Expr>* e : {&r.target, &r.condition, &r.ongoing}) {
      if (e->has_value()) nodes += node_count(**e);
    }
    updates += r.pre.size() + r.post.size();
    if (nodes > ucon::kMaxNodes && !nodes_reported) {
      diag->error(r.pointer, "too many expression nodes (more than " +
                                 std::to_string(ucon::kMaxNodes) +
                                 " by this rule)");
      nodes_reported = true;
    }
    if (updates > ucon::kMaxUpdates && !updates_reported) {
      diag->error(r.pointer, "too many updates (more than " +
                                 std::to_string(ucon::kMaxUpdates) +
                                 " by this rule)");
      updates_reported = true;
    }
  }
}

}  // namespace

bool validate_policy(const Policy& p, DiagSink* diag) {
  std::size_t before = diag->error_count();
  check_rules_unique(p, diag);
  check_attr_hashes(p, diag);
  check_totals(p, diag);
  return diag->error_count() == before;
}

}  // namespace policyc
