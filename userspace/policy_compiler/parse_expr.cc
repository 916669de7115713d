// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// parse_expr.cc - predicates: combinators, comparisons, operand typing.
#include "parse_expr.h"

#include <algorithm>

#include "fields.h"
#include "limits.h"
#include "symbols.h"
#include "tzucon_abi.h"

namespace policyc {

namespace {

struct OpName {
  const char* name;
  std::uint8_t op;
};

const OpName kOps[] = {
    {"eq", ucon::kOpEq},       {"ne", ucon::kOpNe},
    {"lt", ucon::kOpLt},       {"le", ucon::kOpLe},
    {"gt", ucon::kOpGt},       {"ge", ucon::kOpGe},
    {"in", ucon::kOpIn},       {"prefix", ucon::kOpPrefix},
    {"bits_all", ucon::kOpBitsAll}, {"bits_any", ucon::kOpBitsAny},
    {"range", ucon::kOpRange},
};

std::uint8_t op_code(const std::string& name) {
  for (const OpName& o : kOps) {
    if (name == o.name) return o.op;
  }
  return 0;
}

std::string op_list() {
  std::string s;
  for (const OpName& o : kOps) {
    if (!s.empty()) s += ", ";
    s += std::string("\"") + o.name + "\"";
  }
  return s;
}

enum class Type { kInt, kString, kDigest, kSet };

// One side of a comparison that names a field or an attribute.
struct Side {
  Type type = Type::kInt;
  std::uint8_t kind = ucon::kOperandNone;  // kOperandField / kOperandAttr
  std::uint16_t ref = 0;
  std::string name;
  std::size_t size = 0;  // strings: max length; digests: bytes

  std::string describe() const {
    const char* t = type == Type::kInt      ? "integer"
                    : type == Type::kString ? "string"
                    : type == Type::kDigest ? "digest"
                                            : "set";
    return std::string(t) +
           (kind == ucon::kOperandField ? " field " : " attribute ") +
           quote(name);
  }
};

class Parser {
 public:
  Parser(JsonReader* rd, const ExprEnv& env) : rd_(rd), env_(env) {}

  bool pred(const Json& v, const std::string& ptr, std::size_t depth,
            Expr* out) {
    out->pointer = ptr;
    if (depth > ucon::kMaxExprDepth) {
      diag().error(ptr, "predicate nested deeper than " +
                            std::to_string(ucon::kMaxExprDepth) + " levels");
      return false;
    }
    if (v.is_boolean()) {
      out->op = v.get<bool>() ? ucon::kOpTrue : ucon::kOpFalse;
      return true;
    }
    if (!v.is_object()) {
      rd_->type_error(v, ptr, "a predicate (an object or a boolean)");
      return false;
    }
    for (const char* head : {"all", "any", "not"}) {
      if (v.contains(head)) return combinator(v, ptr, head, depth, out);
    }
    if (v.contains("field") || v.contains("attr")) {
      return comparison(v, ptr, depth, out);
    }
    if (v.empty()) {
      diag().error(ptr,
                   "empty predicate (expected \"all\", \"any\", \"not\", "
                   "\"field\" or \"attr\")");
      return false;
    }
    // Report the keys that are not operators: most likely a misspelt head.
    bool reported = false;
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (op_code(it.key()) != 0 || it.key() == "present") continue;
      diag().error_at_key(pointer_append(ptr, it.key()),
                          "unknown field " + quote(it.key()) + " in predicate");
      reported = true;
    }
    if (!reported) {
      diag().error(ptr, "comparison needs \"field\" or \"attr\"");
    }
    return false;
  }

 private:
  DiagSink& diag() { return rd_->diag(); }

  bool combinator(const Json& v, const std::string& ptr, const char* head,
                  std::size_t depth, Expr* out) {
    std::string what = std::string("\"") + head + "\" predicate";
    bool ok = rd_->known_fields(v, ptr, what.c_str(), {head});
    std::string sub = pointer_append(ptr, head);
    const Json& body = v.at(head);
    if (std::string(head) == "not") {
      out->op = ucon::kOpNot;
      out->kids.resize(1);
      return pred(body, sub, depth + 1, &out->kids[0]) && ok;
    }
    out->op = std::string(head) == "all" ? ucon::kOpAnd : ucon::kOpOr;
    if (!rd_->array(body, sub)) return false;
    if (body.empty()) {
      diag().error(sub, std::string("\"") + head +
                            "\" needs at least one predicate");
      return false;
    }
    out->kids.resize(body.size());
    for (std::size_t i = 0; i < body.size(); ++i) {
      ok = pred(body[i], pointer_append(sub, i), depth + 1, &out->kids[i]) &&
           ok;
    }
    return ok;
  }

  bool comparison(const Json& v, const std::string& ptr, std::size_t depth,
                  Expr* out) {
    if (v.contains("field") && v.contains("attr")) {
      diag().error(ptr, "comparison has both \"field\" and \"attr\"");
      return false;
    }
    const bool is_field = v.contains("field");
    const char* head = is_field ? "field" : "attr";
    bool ok = true;
    std::string op_key;
    for (auto it = v.begin(); it != v.end(); ++it) {
      const std::string& k = it.key();
      if (k == head) continue;
      std::string kptr = pointer_append(ptr, k);
      if (op_code(k) == 0 && k != "present") {
        diag().error_at_key(kptr, "unknown field " + quote(k) +
                                      " in comparison");
        ok = false;
      } else if (k == "present" && is_field) {
        diag().error_at_key(kptr, "\"present\" applies only to attributes");
        ok = false;
      } else if (!op_key.empty()) {
        diag().error_at_key(kptr, "more than one operator in comparison (" +
                                      quote(op_key) + " and " + quote(k) +
                                      ")");
        ok = false;
      } else {
        op_key = k;
      }
    }
    Side lhs;
    std::string head_ptr = pointer_append(ptr, head);
    if (!(is_field ? field(v.at(head), head_ptr, &lhs)
                   : attr(v.at(head), head_ptr, &lhs))) {
      return false;
    }
    if (!ok) return false;
    if (op_key.empty()) {
      diag().error(ptr, "missing operator in comparison (one of " + op_list() +
                            ")");
      return false;
    }
    out->lhs_kind = lhs.kind;
    out->lhs = lhs.ref;
    std::string vptr = pointer_append(ptr, op_key);
    const Json& val = v.at(op_key);
    if (op_key == "present") {
      bool want = true;
      if (!rd_->boolean(val, vptr, &want)) return false;
      Expr present;
      present.op = ucon::kOpPresent;
      present.lhs_kind = lhs.kind;
      present.lhs = lhs.ref;
      present.pointer = ptr;
      if (want) {
        *out = std::move(present);
      } else if (depth + 1 > ucon::kMaxExprDepth) {
        // "present": false lowers to not(present): one level more.
        diag().error(ptr, "predicate nested deeper than " +
                              std::to_string(ucon::kMaxExprDepth) + " levels");
        return false;
      } else {
        *out = Expr();
        out->op = ucon::kOpNot;
        out->pointer = ptr;
        out->kids.push_back(std::move(present));
      }
      return true;
    }
    out->op = op_code(op_key);
    if (lhs.type == Type::kSet) {
      diag().error(ptr, "set attribute " + quote(lhs.name) +
                            " can only be tested with \"present\" or be the "
                            "right side of \"in\"");
      return false;
    }
    return value(lhs, op_key, val, vptr, &out->rhs);
  }

  bool field(const Json& name_v, const std::string& ptr, Side* out) {
    std::string name;
    if (!rd_->string(name_v, ptr, &name)) return false;
    const ucon::FieldInfo* f = ucon::field_by_name(name.data(), name.size());
    if (f == nullptr) {
      diag().error(ptr, "unknown event field " + quote(name));
      return false;
    }
    if (env_.context == ExprContext::kCondition) {
      diag().error(ptr, "a condition may not read event fields (found " +
                            quote(name) + ")");
      return false;
    }
    out->kind = ucon::kOperandField;
    out->ref = f->id;
    out->name = name;
    switch (f->kind) {
      case ucon::FieldKind::kInt:
        out->type = Type::kInt;
        break;
      case ucon::FieldKind::kString:
        out->type = Type::kString;
        out->size = std::min<std::size_t>(f->size - 1u, ucon::kMaxStringLen);
        break;
      case ucon::FieldKind::kBytes:
        out->type = Type::kDigest;
        out->size = f->size;
        break;
    }
    return true;
  }

  bool attr(const Json& name_v, const std::string& ptr, Side* out) {
    std::string name;
    if (!rd_->string(name_v, ptr, &name)) return false;
    auto it = env_.attr_index->find(name);
    if (it == env_.attr_index->end()) {
      diag().error(ptr, "undeclared attribute " + quote(name));
      return false;
    }
    const AttrDecl& a = (*env_.attrs)[it->second];
    if (env_.context == ExprContext::kCondition &&
        a.scope != TZU_ATTR_SCOPE_GLOBAL) {
      diag().error(ptr, "a condition may only read global attributes; " +
                            quote(name) + " is a " +
                            (a.scope == TZU_ATTR_SCOPE_SUBJECT ? "subject"
                                                               : "object") +
                            " attribute");
      return false;
    }
    out->kind = ucon::kOperandAttr;
    out->ref = it->second;
    out->name = name;
    out->type = a.type == ucon::kAttrSet ? Type::kSet : Type::kInt;
    return true;
  }

  // {"field": NAME} or {"attr": NAME} on the right-hand side.
  bool reference(const Json& v, const std::string& ptr, Side* out) {
    if (!rd_->known_fields(v, ptr, "operand", {"field", "attr"})) return false;
    if (v.size() != 1) {
      diag().error(ptr, "expected {\"field\": NAME} or {\"attr\": NAME}");
      return false;
    }
    if (v.contains("field")) return field(v.at("field"), ptr + "/field", out);
    return attr(v.at("attr"), ptr + "/attr", out);
  }

  bool value(const Side& lhs, const std::string& op, const Json& v,
             const std::string& ptr, Operand* out) {
    std::uint8_t code = op_code(op);
    bool ordered = code == ucon::kOpLt || code == ucon::kOpLe ||
                   code == ucon::kOpGt || code == ucon::kOpGe;
    bool int_only = ordered || code == ucon::kOpBitsAll ||
                    code == ucon::kOpBitsAny || code == ucon::kOpRange;
    if (int_only && lhs.type != Type::kInt) {
      diag().error(ptr, "operator " + quote(op) + " applies only to integers, "
                            "not to " + lhs.describe());
      return false;
    }
    if (code == ucon::kOpPrefix && lhs.type != Type::kString) {
      diag().error(ptr, "operator \"prefix\" applies only to strings, not to " +
                            lhs.describe());
      return false;
    }
    if (code == ucon::kOpIn) return in_value(lhs, v, ptr, out);
    if (code == ucon::kOpRange) return range_value(lhs, v, ptr, out);
    if (v.is_object()) {
      if (code != ucon::kOpEq && code != ucon::kOpNe && !ordered) {
        diag().error(ptr, "operator " + quote(op) + " takes a constant");
        return false;
      }
      Side rhs;
      if (!reference(v, ptr, &rhs)) return false;
      if (rhs.type != lhs.type) {
        diag().error(ptr, "cannot compare " + lhs.describe() + " with " +
                              rhs.describe());
        return false;
      }
      out->kind = rhs.kind;
      out->ref = rhs.ref;
      return true;
    }
    return constant(lhs, v, ptr, out);
  }

  bool constant(const Side& lhs, const Json& v, const std::string& ptr,
                Operand* out) {
    switch (lhs.type) {
      case Type::kInt:
        out->kind = ucon::kOperandInt;
        return int_const(lhs, v, ptr, &out->i);
      case Type::kString:
        out->kind = ucon::kOperandBytes;
        return str_const(lhs, v, ptr, &out->bytes);
      case Type::kDigest:
        out->kind = ucon::kOperandBytes;
        return digest_const(lhs, v, ptr, &out->bytes);
      case Type::kSet:
        break;
    }
    return false;
  }

  bool in_value(const Side& lhs, const Json& v, const std::string& ptr,
                Operand* out) {
    if (v.is_object()) {
      Side rhs;
      if (!reference(v, ptr, &rhs)) return false;
      if (rhs.type != Type::kSet) {
        diag().error(ptr, "\"in\" takes a list of values or a set attribute, "
                          "not " + rhs.describe());
        return false;
      }
      if (lhs.type != Type::kInt) {
        diag().error(ptr, "set attributes hold integers; " + lhs.describe() +
                              " cannot be a member");
        return false;
      }
      out->kind = rhs.kind;
      out->ref = rhs.ref;
      return true;
    }
    if (!v.is_array()) {
      rd_->type_error(v, ptr, "an array or a set attribute");
      return false;
    }
    if (v.empty() || v.size() > ucon::kMaxSetMembers) {
      diag().error(ptr, "\"in\" takes 1 to " +
                            std::to_string(ucon::kMaxSetMembers) +
                            " values, got " + std::to_string(v.size()));
      return false;
    }
    out->kind = ucon::kOperandSet;
    bool ok = true;
    for (std::size_t i = 0; i < v.size(); ++i) {
      Operand elem;
      if (!constant(lhs, v[i], pointer_append(ptr, i), &elem)) {
        ok = false;
        continue;
      }
      if (elem.kind == ucon::kOperandInt) {
        out->ints.push_back(elem.i);
      } else {
        out->strs.push_back(elem.bytes);
      }
    }
    // Canonical order: equal sets compare equal and lower identically.
    std::sort(out->ints.begin(), out->ints.end());
    out->ints.erase(std::unique(out->ints.begin(), out->ints.end()),
                    out->ints.end());
    std::sort(out->strs.begin(), out->strs.end());
    out->strs.erase(std::unique(out->strs.begin(), out->strs.end()),
                    out->strs.end());
    out->set_elem =
        lhs.type == Type::kInt ? ucon::kOperandInt : ucon::kOperandBytes;
    return ok;
  }

  bool range_value(const Side& lhs, const Json& v, const std::string& ptr,
                   Operand* out) {
    if (!v.is_array() || v.size() != 2) {
      diag().error(ptr, "\"range\" takes [lo, hi], got " +
                            std::string(json_type_name(v)) +
                            (v.is_array() ? " of " + std::to_string(v.size()) +
                                                " values"
                                          : ""));
      return false;
    }
    out->kind = ucon::kOperandRange;
    bool ok = int_const(lhs, v[0], ptr + "/0", &out->lo);
    return int_const(lhs, v[1], ptr + "/1", &out->hi) && ok;
  }

  bool int_const(const Side& lhs, const Json& v, const std::string& ptr,
                 std::int64_t* out) {
    if (v.is_string() && lhs.kind == ucon::kOperandField) {
      std::string hint;
      switch (resolve_symbol(lhs.name, env_.hook, v.get<std::string>(), out,
                             &hint)) {
        case SymbolResult::kOk:
          return true;
        case SymbolResult::kUnknown:
          diag().error(ptr, "unknown symbol " + quote(v.get<std::string>()) +
                                " for " + quote(lhs.name) + " (expected " +
                                hint + ")");
          return false;
        case SymbolResult::kNoSymbols:
          break;
      }
    }
    return rd_->int64(v, ptr, out);
  }

  bool str_const(const Side& lhs, const Json& v, const std::string& ptr,
                 std::string* out) {
    if (!rd_->string(v, ptr, out)) return false;
    if (out->find('\0') != std::string::npos) {
      diag().error(ptr, "strings may not contain NUL characters");
      return false;
    }
    if (out->size() > lhs.size) {
      diag().error(ptr, "string " + quote(*out) + " is " +
                            std::to_string(out->size()) + " bytes; " +
                            quote(lhs.name) + " holds at most " +
                            std::to_string(lhs.size));
      return false;
    }
    return true;
  }

  bool digest_const(const Side& lhs, const Json& v, const std::string& ptr,
                    std::string* out) {
    std::string s;
    if (!v.is_string()) {
      rd_->type_error(v, ptr, "a sha-256 digest (64 hex characters)");
      return false;
    }
    s = v.get<std::string>();
    if (lhs.size != TZU_SHA256_LEN || !parse_hex_digest(s, out)) {
      diag().error(ptr, "expected a sha-256 digest (64 hex characters), got " +
                            quote(s));
      return false;
    }
    return true;
  }

  JsonReader* rd_;
  const ExprEnv& env_;
};

}  // namespace

bool parse_hex_digest(const std::string& s, std::string* out) {
  if (s.size() != 64) return false;
  std::string bytes;
  for (std::size_t i = 0; i < 64; i += 2) {
    int v = 0;
    for (std::size_t j = i; j < i + 2; ++j) {
      char c = s[j];
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        d = c - 'A' + 10;
      } else {
        return false;
      }
      v = v * 16 + d;
    }
    bytes += static_cast<char>(v);
  }
  *out = bytes;
  return true;
}

bool parse_predicate(JsonReader* rd, const ExprEnv& env, const Json& v,
                     const std::string& ptr, Expr* out) {
  Parser p(rd, env);
  return p.pred(v, ptr, 1, out);
}

}  // namespace policyc
