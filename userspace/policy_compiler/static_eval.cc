// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// static_eval.cc - constant folding and per-operand constraint sets.
#include "static_eval.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <utility>

#include "diagnostics.h"
#include "fields.h"

namespace policyc {

namespace {

constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

// Values an integer operand can take: 4-byte fields are zero-extended.
struct Domain {
  std::int64_t lo = kMin, hi = kMax;
  std::uint64_t mask = ~0ull;
};

Domain domain_of(const Expr& e) {
  Domain d;
  if (e.lhs_kind == ucon::kOperandField) {
    const ucon::FieldInfo* f = ucon::field_by_id(e.lhs);
    if (f != nullptr && f->kind == ucon::FieldKind::kInt && f->size == 4) {
      d.lo = 0;
      d.hi = 0xffffffffll;
      d.mask = 0xffffffffull;
    }
  }
  return d;
}

bool bytes_lhs(const Expr& e) {
  if (e.lhs_kind != ucon::kOperandField) return false;
  const ucon::FieldInfo* f = ucon::field_by_id(e.lhs);
  return f != nullptr && f->kind != ucon::FieldKind::kInt;
}

std::string lhs_name(const Expr& e, const Policy& p) {
  if (e.lhs_kind == ucon::kOperandField) {
    const ucon::FieldInfo* f = ucon::field_by_id(e.lhs);
    return f != nullptr ? f->name : "?";
  }
  return e.lhs < p.attrs.size() ? p.attrs[e.lhs].name : "?";
}

struct IntFacts {
  Domain dom;
  std::int64_t lo = kMin, hi = kMax;
  bool empty = false;  // a bound overflowed: lt INT64_MIN, gt INT64_MAX
  bool has_allowed = false;
  std::set<std::int64_t> allowed, excluded;
  std::uint64_t must = 0;
  std::vector<std::uint64_t> any;

  void allow(const std::set<std::int64_t>& s) {
    if (!has_allowed) {
      allowed = s;
      has_allowed = true;
      return;
    }
    std::set<std::int64_t> out;
    std::set_intersection(allowed.begin(), allowed.end(), s.begin(), s.end(),
                          std::inserter(out, out.begin()));
    allowed = std::move(out);
  }
  void upper(std::int64_t v) { hi = std::min(hi, v); }
  void lower(std::int64_t v) { lo = std::max(lo, v); }

  bool passes(std::int64_t v, std::int64_t l, std::int64_t h) const {
    if (v < l || v > h || excluded.count(v) != 0) return false;
    auto u = static_cast<std::uint64_t>(v);
    if ((u & must) != must) return false;
    for (std::uint64_t m : any) {
      if ((u & m) == 0) return false;
    }
    return true;
  }

  bool feasible() const {
    if (empty) return false;
    std::int64_t l = std::max(lo, dom.lo), h = std::min(hi, dom.hi);
    if (l > h || (must & ~dom.mask) != 0) return false;
    for (std::uint64_t m : any) {
      if ((m & dom.mask) == 0) return false;
    }
    if (has_allowed) {
      for (std::int64_t v : allowed) {
        if (passes(v, l, h)) return true;
      }
      return false;
    }
    auto width = static_cast<std::uint64_t>(h) - static_cast<std::uint64_t>(l);
    if (width < 64) {
      for (std::int64_t v = l;; ++v) {
        if (passes(v, l, h)) return true;
        if (v == h) return false;
      }
    }
    if (l >= 0) {
      // The smallest non-negative value with all `must` bits is `must`.
      auto uh = static_cast<std::uint64_t>(h);
      if (must > uh) return false;
      for (std::uint64_t m : any) {
        if ((m & (~m + 1)) > uh) return false;
      }
    }
    return true;
  }
};

struct BytesFacts {
  bool has_allowed = false;
  std::set<std::string> allowed, excluded;
  std::vector<std::string> prefixes;

  void allow(const std::set<std::string>& s) {
    if (!has_allowed) {
      allowed = s;
      has_allowed = true;
      return;
    }
    std::set<std::string> out;
    std::set_intersection(allowed.begin(), allowed.end(), s.begin(), s.end(),
                          std::inserter(out, out.begin()));
    allowed = std::move(out);
  }

  static bool has_prefix(const std::string& s, const std::string& p) {
    return s.compare(0, p.size(), p) == 0 && s.size() >= p.size();
  }

  bool feasible() const {
    if (has_allowed) {
      for (const std::string& s : allowed) {
        bool ok = excluded.count(s) == 0;
        for (const std::string& p : prefixes) ok = ok && has_prefix(s, p);
        if (ok) return true;
      }
      return false;
    }
    for (const std::string& a : prefixes) {
      for (const std::string& b : prefixes) {
        if (!has_prefix(a, b) && !has_prefix(b, a)) return false;
      }
    }
    return true;
  }
};

using OperandKey = std::pair<std::uint8_t, std::uint16_t>;

struct Facts {
  std::map<OperandKey, IntFacts> ints;
  std::map<OperandKey, BytesFacts> bytes;
  std::vector<OperandKey> order;  // first-seen order, for deterministic reasons

  void note(const OperandKey& k) {
    if (std::find(order.begin(), order.end(), k) == order.end()) {
      order.push_back(k);
    }
  }

  // Adds what comparison e (negated if neg) says about its left side.
  void add(const Expr& e, bool neg) {
    const Operand& r = e.rhs;
    bool constant = r.kind == ucon::kOperandInt || r.kind == ucon::kOperandBytes ||
                    r.kind == ucon::kOperandSet || r.kind == ucon::kOperandRange;
    if (!constant || e.op == ucon::kOpPresent) return;
    OperandKey k{e.lhs_kind, e.lhs};
    note(k);
    if (bytes_lhs(e)) {
      add_bytes(bytes[k], e, neg);
    } else {
      IntFacts& f = ints[k];
      f.dom = domain_of(e);
      add_int(f, e, neg);
    }
  }

  static void add_bytes(BytesFacts& f, const Expr& e, bool neg) {
    const Operand& r = e.rhs;
    std::set<std::string> vals;
    if (r.kind == ucon::kOperandBytes) vals.insert(r.bytes);
    if (r.kind == ucon::kOperandSet) vals.insert(r.strs.begin(), r.strs.end());
    if (e.op == ucon::kOpPrefix) {
      if (!neg) f.prefixes.push_back(r.bytes);
      return;
    }
    bool pins = e.op == ucon::kOpEq || e.op == ucon::kOpIn;  // value in vals
    if (!pins && e.op != ucon::kOpNe) return;
    if (pins != neg) {
      f.allow(vals);
    } else {
      f.excluded.insert(vals.begin(), vals.end());
    }
  }

  static void add_int(IntFacts& f, const Expr& e, bool neg) {
    const Operand& r = e.rhs;
    std::int64_t c = r.i;
    std::uint8_t op = e.op;
    if (neg) {
      switch (op) {
        case ucon::kOpEq: op = ucon::kOpNe; break;
        case ucon::kOpNe: op = ucon::kOpEq; break;
        case ucon::kOpLt: op = ucon::kOpGe; break;
        case ucon::kOpLe: op = ucon::kOpGt; break;
        case ucon::kOpGt: op = ucon::kOpLe; break;
        case ucon::kOpGe: op = ucon::kOpLt; break;
        case ucon::kOpIn:
          f.excluded.insert(r.ints.begin(), r.ints.end());
          return;
        default:
          return;  // negated bit tests and ranges: nothing simple to add
      }
    }
    switch (op) {
      case ucon::kOpEq: f.allow({c}); break;
      case ucon::kOpNe: f.excluded.insert(c); break;
      case ucon::kOpLt:
        if (c == kMin) f.empty = true; else f.upper(c - 1);
        break;
      case ucon::kOpLe: f.upper(c); break;
      case ucon::kOpGt:
        if (c == kMax) f.empty = true; else f.lower(c + 1);
        break;
      case ucon::kOpGe: f.lower(c); break;
      case ucon::kOpRange:
        f.lower(r.lo);
        f.upper(r.hi);
        break;
      case ucon::kOpIn:
        f.allow(std::set<std::int64_t>(r.ints.begin(), r.ints.end()));
        break;
      case ucon::kOpBitsAll: f.must |= static_cast<std::uint64_t>(c); break;
      case ucon::kOpBitsAny: f.any.push_back(static_cast<std::uint64_t>(c)); break;
      default: break;
    }
  }

  // Conjuncts of an "all", looking through nested "all" and single "not".
  void collect(const Expr& e) {
    for (const Expr& k : e.kids) {
      if (k.op == ucon::kOpAnd) {
        collect(k);
      } else if (k.op == ucon::kOpNot && k.kids[0].op >= ucon::kOpEq) {
        add(k.kids[0], true);
      } else if (k.op >= ucon::kOpEq) {
        add(k, false);
      }
    }
  }

  // First operand whose facts cannot all hold, or nullptr.
  const OperandKey* contradiction() const {
    for (const OperandKey& k : order) {
      auto i = ints.find(k);
      if (i != ints.end() && !i->second.feasible()) return &k;
      auto b = bytes.find(k);
      if (b != bytes.end() && !b->second.feasible()) return &k;
    }
    return nullptr;
  }
};

StaticValue make(Truth t) {
  StaticValue v;
  v.truth = t;
  return v;
}

StaticValue make_false(std::string reason, const std::string& pointer) {
  StaticValue v;
  v.truth = Truth::kFalse;
  v.reason = std::move(reason);
  v.pointer = pointer;
  return v;
}

StaticValue comparison(const Expr& e, const Policy& p) {
  if (e.op == ucon::kOpPresent) return make(Truth::kUnknown);
  if (e.op == ucon::kOpRange && e.rhs.kind == ucon::kOperandRange &&
      e.rhs.lo > e.rhs.hi) {
    return make_false("empty range [" + std::to_string(e.rhs.lo) + ", " +
                          std::to_string(e.rhs.hi) + "]",
                      e.pointer);
  }
  if (e.op == ucon::kOpBitsAny && e.rhs.kind == ucon::kOperandInt &&
      e.rhs.i == 0) {
    return make_false("\"bits_any\" with mask 0 never holds", e.pointer);
  }
  if (e.op == ucon::kOpBitsAll && e.rhs.kind == ucon::kOperandInt &&
      e.rhs.i == 0) {
    return make(Truth::kTrue);
  }
  Facts f;
  f.add(e, false);
  if (f.contradiction() != nullptr) {
    return make_false("no value of " + quote(lhs_name(e, p)) +
                          " passes this test",
                      e.pointer);
  }
  return make(Truth::kUnknown);
}

}  // namespace

StaticValue static_value(const Expr& e, const Policy& p) {
  switch (e.op) {
    case ucon::kOpTrue:
      return make(Truth::kTrue);
    case ucon::kOpFalse:
      return make_false("the predicate is false", e.pointer);
    case ucon::kOpNot: {
      StaticValue k = static_value(e.kids[0], p);
      if (k.truth == Truth::kTrue) {
        return make_false("it negates a predicate that always holds",
                          e.pointer);
      }
      return make(k.truth == Truth::kFalse ? Truth::kTrue : Truth::kUnknown);
    }
    case ucon::kOpOr: {
      bool all_false = true;
      for (const Expr& k : e.kids) {
        Truth t = static_value(k, p).truth;
        if (t == Truth::kTrue) return make(Truth::kTrue);
        all_false = all_false && t == Truth::kFalse;
      }
      if (all_false) {
        return make_false("no alternative of \"any\" can hold", e.pointer);
      }
      return make(Truth::kUnknown);
    }
    case ucon::kOpAnd: {
      bool all_true = true;
      for (const Expr& k : e.kids) {
        StaticValue v = static_value(k, p);
        if (v.truth == Truth::kFalse) return v;
        all_true = all_true && v.truth == Truth::kTrue;
      }
      if (all_true) return make(Truth::kTrue);
      Facts f;
      f.collect(e);
      if (const OperandKey* k = f.contradiction()) {
        Expr probe;
        probe.lhs_kind = k->first;
        probe.lhs = k->second;
        return make_false("contradictory tests of " +
                              quote(lhs_name(probe, p)),
                          e.pointer);
      }
      return make(Truth::kUnknown);
    }
    default:
      return comparison(e, p);
  }
}

}  // namespace policyc
