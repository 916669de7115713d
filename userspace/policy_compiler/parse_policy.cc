// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// parse_policy.cc - top level, attributes, rules, updates.
#include "parse_policy.h"

#include <map>

#include "fields.h"
#include "json_read.h"
#include "limits.h"
#include "parse_expr.h"
#include "tzucon_abi.h"

namespace policyc {

namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

// Policy and rule names: 1-63 of [A-Za-z0-9_.-], starting alphanumeric.
bool valid_name(const std::string& s) {
  if (s.empty() || s.size() > kMaxNameLen || !is_alnum(s[0])) return false;
  for (char c : s) {
    if (!is_alnum(c) && c != '_' && c != '-' && c != '.') return false;
  }
  return true;
}

// Attribute names: identifiers, 1-63 of [a-z0-9_], not starting with a digit.
bool valid_attr_name(const std::string& s) {
  if (s.empty() || s.size() > kMaxNameLen || (s[0] >= '0' && s[0] <= '9')) {
    return false;
  }
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

// Attributes the secure world sets from its own measurements.
const char* const kSecureAttrs[] = {"integrity_state"};
// AttrDecl.writer of a declaration whose "writer" was invalid (reported).
constexpr std::uint8_t kWriterUnknown = 0xff;

bool is_secure_attr(const std::string& name) {
  for (const char* s : kSecureAttrs) {
    if (name == s) return true;
  }
  return false;
}

std::string secure_attr_list() {
  std::string out;
  for (const char* s : kSecureAttrs) out += (out.empty() ? "" : ", ") + quote(s);
  return out;
}

class PolicyParser {
 public:
  PolicyParser(DiagSink* diag, Policy* out) : rd_(diag), p_(*out) {}

  void parse(const Json& doc) {
    if (!rd_.object(doc, "", "policy")) return;
    rd_.known_fields(doc, "", "policy",
                     {"$schema", "$comment", "policy", "description", "version",
                      "combining", "default", "mode", "audit_default",
                      "device", "audit_overflow", "weak_boot", "attributes",
                      "rules"});
    for (const char* f : {"policy", "description", "version", "default",
                          "rules"}) {
      rd_.require(doc, "", "policy", f);
    }
    std::string schema;
    // Editor and licence metadata: checked for type, otherwise ignored.
    if (doc.contains("$schema")) rd_.string(doc["$schema"], "/$schema", &schema);
    if (doc.contains("$comment")) rd_.string(doc["$comment"], "/$comment", &schema);
    if (doc.contains("policy")) name(doc["policy"], "/policy", "policy", &p_.name);
    if (doc.contains("description")) {
      description(doc["description"], "/description", &p_.description);
    }
    if (doc.contains("version")) {
      std::int64_t v = 0;
      if (rd_.integer(doc["version"], "/version", 0, UINT32_MAX, &v)) {
        p_.version = static_cast<std::uint32_t>(v);
      }
    }
    std::size_t i = 0;
    if (doc.contains("combining") &&
        rd_.choice(doc["combining"], "/combining", "combining algorithm",
                   {"deny-overrides", "first-applicable"}, &i) && i == 1) {
      p_.flags |= ucon::kPolicyFirstApplicable;
    }
    if (doc.contains("default") &&
        rd_.choice(doc["default"], "/default", "default decision",
                   {"permit", "deny"}, &i) && i == 1) {
      p_.flags |= ucon::kPolicyDefaultDeny;
    }
    if (doc.contains("mode") &&
        rd_.choice(doc["mode"], "/mode", "mode", {"enforce", "permissive"},
                   &i) && i == 1) {
      p_.flags |= ucon::kPolicyPermissive;
    }
    bool audit = false;
    if (doc.contains("audit_default") &&
        rd_.boolean(doc["audit_default"], "/audit_default", &audit) && audit) {
      p_.flags |= ucon::kPolicyAuditDefault;
    }
    authority(doc);
    // Rules refer to attributes: declarations first.
    if (doc.contains("attributes")) attributes(doc["attributes"]);
    if (doc.contains("rules")) rules(doc["rules"]);
  }

 private:
  DiagSink& diag() { return rd_.diag(); }

  void name(const Json& v, const std::string& ptr, const char* what,
            std::string* out) {
    if (!rd_.string(v, ptr, out)) return;
    if (!valid_name(*out)) {
      diag().error(ptr, std::string("invalid ") + what + " name " +
                            quote(*out) +
                            " (1 to 63 letters, digits, \"_\", \"-\" or "
                            "\".\", starting with a letter or digit)");
    }
  }

  // What the secure world does on its own: device binding, audit overflow,
  // weakened boot (docs/policy-language.md, "Authority").
  void authority(const Json& doc) {
    std::size_t i = 0;
    if (doc.contains("device")) device(doc["device"]);
    if (doc.contains("audit_overflow") &&
        rd_.choice(doc["audit_overflow"], "/audit_overflow", "audit overflow",
                   {"drop-oldest", "fail-closed"}, &i) && i == 1) {
      p_.flags |= ucon::kPolicyAuditFailClosed;
    }
    if (doc.contains("weak_boot") &&
        rd_.choice(doc["weak_boot"], "/weak_boot", "weak boot action",
                   {"degrade", "refuse"}, &i) && i == 1) {
      p_.flags |= ucon::kPolicyRefuseWeakBoot;
    }
  }

  void device(const Json& v) {
    std::string text;
    if (!rd_.string(v, "/device", &text)) return;
    p_.device_given = true;
    if (text == "any") {
      p_.flags |= ucon::kPolicyAnyDevice;
      return;
    }
    DeviceId id;
    if (!parse_device_id(text, &id)) {
      diag().error("/device", "invalid device " + quote(text) +
                                  " (expected \"any\" or a device id of 32 "
                                  "hex digits, see `policyctl challenge`)");
      return;
    }
    p_.device = id;
  }

  void description(const Json& v, const std::string& ptr, std::string* out) {
    if (!rd_.string(v, ptr, out)) return;
    if (out->find_first_not_of(" \t\r\n") == std::string::npos) {
      diag().error(ptr, "empty description: state the intent");
    }
  }

  void attributes(const Json& v) {
    if (!rd_.object(v, "/attributes", "attribute map")) return;
    for (auto it = v.begin(); it != v.end(); ++it) {
      std::string ptr = pointer_append("/attributes", it.key());
      if (p_.attrs.size() == ucon::kMaxAttrs) {
        diag().error_at_key(ptr, "too many attributes (limit " +
                                     std::to_string(ucon::kMaxAttrs) + ")");
        return;
      }
      if (!valid_attr_name(it.key())) {
        diag().error_at_key(ptr, "invalid attribute name " + quote(it.key()) +
                                     " (1 to 63 of a-z, 0-9 and \"_\", not "
                                     "starting with a digit)");
        continue;
      }
      AttrDecl a;
      a.name = it.key();
      a.pointer = ptr;
      if (attribute(it.value(), ptr, &a)) {
        attr_index_[a.name] = static_cast<std::uint16_t>(p_.attrs.size());
        p_.attrs.push_back(std::move(a));
      }
    }
  }

  bool attribute(const Json& v, const std::string& ptr, AttrDecl* a) {
    if (!rd_.object(v, ptr, "attribute declaration")) return false;
    rd_.known_fields(v, ptr, "attribute",
                     {"scope", "type", "key", "initial", "max_entries",
                      "writer", "description"});
    std::string text;
    if (v.contains("description")) {
      rd_.string(v["description"], ptr + "/description", &text);
    }
    std::size_t i = 0;
    if (!rd_.require(v, ptr, "attribute", "scope") ||
        !rd_.choice(v["scope"], ptr + "/scope", "scope",
                    {"global", "subject", "object"}, &i)) {
      return false;
    }
    a->scope = static_cast<std::uint8_t>(i == 0   ? TZU_ATTR_SCOPE_GLOBAL
                                         : i == 1 ? TZU_ATTR_SCOPE_SUBJECT
                                                  : TZU_ATTR_SCOPE_OBJECT);
    if (v.contains("type") &&
        rd_.choice(v["type"], ptr + "/type", "attribute type", {"int", "set"},
                   &i)) {
      a->type = i == 0 ? ucon::kAttrInt : ucon::kAttrSet;
    }
    key(v, ptr, a);
    if (v.contains("initial")) {
      if (a->type == ucon::kAttrSet) {
        diag().error(ptr + "/initial",
                     "\"initial\" applies only to int attributes");
      } else {
        rd_.int64(v["initial"], ptr + "/initial", &a->initial);
      }
    }
    if (a->scope == TZU_ATTR_SCOPE_GLOBAL) {
      a->max_entries = 1;
      if (v.contains("max_entries")) {
        diag().error(ptr + "/max_entries",
                     "global attributes have exactly one entry; remove "
                     "\"max_entries\"");
      }
    } else {
      a->max_entries = kDefaultMaxEntries;
      std::int64_t n = 0;
      if (v.contains("max_entries") &&
          rd_.integer(v["max_entries"], ptr + "/max_entries", 1,
                      kMaxMaxEntries, &n)) {
        a->max_entries = static_cast<std::uint32_t>(n);
      }
    }
    writer(v, ptr, a);
    // Declared even if a detail is wrong: uses of it must not cascade into
    // "undeclared attribute" errors (the policy fails anyway).
    return true;
  }

  // Who may change the value. The secure world measures only the names in
  // kSecureAttrs, and those it must own: a policy cannot hand them to rules
  // or to an administrator.
  void writer(const Json& v, const std::string& ptr, AttrDecl* a) {
    std::size_t i = 0;
    std::string wptr = ptr + "/writer";
    if (v.contains("writer") &&
        rd_.choice(v["writer"], wptr, "writer", {"engine", "secure", "admin"},
                   &i)) {
      static const std::uint8_t kWriters[] = {
          ucon::kWriterEngine, ucon::kWriterSecure, ucon::kWriterAdmin};
      a->writer = kWriters[i];
    } else if (v.contains("writer")) {
      a->writer = kWriterUnknown;  // reported; keep uses from cascading
      return;
    }
    bool measured = is_secure_attr(a->name);
    if (measured && a->writer != ucon::kWriterSecure) {
      diag().error(v.contains("writer") ? wptr : ptr,
                   quote(a->name) + " is measured by the secure world and must "
                   "be declared \"writer\": \"secure\"");
    } else if (!measured && a->writer == ucon::kWriterSecure) {
      diag().error(wptr, "the secure world measures no attribute " +
                             quote(a->name) + " (\"secure\" is for " +
                             secure_attr_list() + ")");
    } else if (measured && (a->scope != TZU_ATTR_SCOPE_GLOBAL ||
                            a->type != ucon::kAttrInt)) {
      diag().error(ptr + "/scope", quote(a->name) + " is a global int "
                                   "attribute (the secure world writes one "
                                   "value)");
    }
  }

  void key(const Json& v, const std::string& ptr, AttrDecl* a) {
    std::string kptr = ptr + "/key";
    if (a->scope == TZU_ATTR_SCOPE_GLOBAL) {
      if (v.contains("key")) {
        diag().error(kptr, "global attributes have no \"key\"");
      }
      return;
    }
    if (!rd_.require(v, ptr, a->scope == TZU_ATTR_SCOPE_SUBJECT
                                 ? "subject attribute"
                                 : "object attribute",
                     "key")) {
      return;
    }
    std::size_t i = 0;
    if (a->scope == TZU_ATTR_SCOPE_SUBJECT) {
      if (rd_.choice(v["key"], kptr, "subject key", {"tgid", "exe"}, &i)) {
        a->key = i == 0 ? ucon::kKeyTgid : ucon::kKeyExe;
      }
      return;
    }
    std::string name;
    if (!rd_.string(v["key"], kptr, &name)) return;
    const ucon::FieldInfo* f = ucon::field_by_name(name.data(), name.size());
    if (f == nullptr || name.compare(0, 7, "object.") != 0) {
      diag().error(kptr, "object attributes are keyed by an object field "
                         "(e.g. \"object.id\"), not " + quote(name));
      return;
    }
    a->key = ucon::kKeyField;
    a->key_field = f->id;
  }

  void rules(const Json& v) {
    if (!rd_.array(v, "/rules")) return;
    if (v.size() > ucon::kMaxRules) {
      diag().error("/rules", "too many rules (" + std::to_string(v.size()) +
                                 ", limit " + std::to_string(ucon::kMaxRules) +
                                 ")");
      return;
    }
    for (std::size_t i = 0; i < v.size(); ++i) {
      Rule r;
      r.pointer = pointer_append("/rules", i);
      if (rule(v[i], &r)) p_.rules.push_back(std::move(r));
    }
  }

  bool rule(const Json& v, Rule* r) {
    const std::string& ptr = r->pointer;
    if (!rd_.object(v, ptr, "rule")) return false;
    std::size_t before = diag().error_count();
    rd_.known_fields(v, ptr, "rule",
                     {"id", "name", "description", "hook", "effect", "when",
                      "condition", "ongoing", "session", "mode", "audit",
                      "obligations", "notify_code", "pre_update",
                      "post_update"});
    for (const char* f : {"id", "name", "hook", "effect"}) {
      rd_.require(v, ptr, "rule", f);
    }
    std::int64_t n = 0;
    if (v.contains("id") &&
        rd_.integer(v["id"], ptr + "/id", 1, UINT32_MAX, &n)) {
      r->id = static_cast<std::uint32_t>(n);
    }
    if (v.contains("name")) name(v["name"], ptr + "/name", "rule", &r->name);
    std::string text;
    if (v.contains("description")) {
      description(v["description"], ptr + "/description", &text);
    }
    if (v.contains("hook") && rd_.string(v["hook"], ptr + "/hook", &text)) {
      r->hook = static_cast<std::uint16_t>(
          ucon::hook_by_name(text.data(), text.size()));
      if (r->hook == TZU_HOOK_NONE) {
        diag().error(ptr + "/hook", "unknown hook " + quote(text));
      }
    }
    std::size_t i = 0;
    if (v.contains("effect") &&
        rd_.choice(v["effect"], ptr + "/effect", "effect", {"permit", "deny"},
                   &i)) {
      r->effect = i == 0 ? ucon::kEffectPermit : ucon::kEffectDeny;
    }
    flags(v, r);
    obligations(v, r);
    predicates(v, r);
    r->pre = updates(v, ptr, "pre_update");
    r->post = updates(v, ptr, "post_update");
    std::size_t n_updates = r->pre.size() + r->post.size();
    if (n_updates > ucon::kMaxUpdatesPerRule) {
      diag().error(ptr, "too many updates in rule (" +
                            std::to_string(n_updates) + ", limit " +
                            std::to_string(ucon::kMaxUpdatesPerRule) + ")");
    }
    return diag().error_count() == before;
  }

  void flags(const Json& v, Rule* r) {
    const std::string& ptr = r->pointer;
    bool b = false;
    if (v.contains("session") && rd_.boolean(v["session"], ptr + "/session", &b) &&
        b) {
      r->flags |= ucon::kRuleSession;
      if (v.contains("effect") && v["effect"] == "deny") {
        diag().error(ptr + "/session", "\"session\" requires effect \"permit\"");
      }
    }
    std::size_t i = 0;
    if (v.contains("mode") &&
        rd_.choice(v["mode"], ptr + "/mode", "mode", {"enforce", "permissive"},
                   &i) && i == 1) {
      r->flags |= ucon::kRulePermissive;
    }
    if (v.contains("audit") && rd_.boolean(v["audit"], ptr + "/audit", &b) && b) {
      r->flags |= ucon::kRuleAudit;
      r->obligations |= TZU_OBL_AUDIT;
    }
  }

  void obligations(const Json& v, Rule* r) {
    const std::string& ptr = r->pointer;
    bool notify = false;
    if (v.contains("obligations")) {
      std::string optr = ptr + "/obligations";
      const Json& list = v["obligations"];
      if (rd_.array(list, optr)) {
        static const std::uint32_t kBits[] = {TZU_OBL_AUDIT, TZU_OBL_KILL,
                                              TZU_OBL_REVOKE, TZU_OBL_REMEASURE,
                                              TZU_OBL_NOTIFY};
        std::uint32_t seen = 0;
        for (std::size_t k = 0; k < list.size(); ++k) {
          std::string eptr = pointer_append(optr, k);
          std::size_t i = 0;
          if (!rd_.choice(list[k], eptr, "obligation",
                          {"audit", "kill", "revoke", "remeasure", "notify"},
                          &i)) {
            continue;
          }
          if (seen & kBits[i]) {
            diag().error(eptr, "duplicate obligation " +
                                   quote(list[k].get<std::string>()));
          }
          seen |= kBits[i];
        }
        r->obligations |= seen;
        notify = (seen & TZU_OBL_NOTIFY) != 0;
      }
    }
    if (v.contains("notify_code")) {
      std::int64_t n = 0;
      std::string nptr = ptr + "/notify_code";
      if (rd_.integer(v["notify_code"], nptr, 0, UINT32_MAX, &n)) {
        r->notify_code = static_cast<std::uint32_t>(n);
        if (!notify) {
          diag().error(nptr, "\"notify_code\" requires the \"notify\" "
                             "obligation");
        }
      }
    }
  }

  void predicates(const Json& v, Rule* r) {
    const std::string& ptr = r->pointer;
    ExprEnv env;
    env.attrs = &p_.attrs;
    env.attr_index = &attr_index_;
    env.hook = r->hook;
    struct Slot {
      const char* key;
      ExprContext context;
      std::optional<Expr>* out;
    };
    const Slot slots[] = {{"when", ExprContext::kWhen, &r->target},
                          {"condition", ExprContext::kCondition, &r->condition},
                          {"ongoing", ExprContext::kOngoing, &r->ongoing}};
    for (const Slot& s : slots) {
      if (!v.contains(s.key)) continue;
      env.context = s.context;
      Expr e;
      if (parse_predicate(&rd_, env, v[s.key], pointer_append(ptr, s.key), &e)) {
        *s.out = std::move(e);
      }
    }
    if (v.contains("ongoing") && !(r->flags & ucon::kRuleSession)) {
      diag().error(ptr + "/ongoing", "\"ongoing\" requires \"session\": true");
    }
  }

  std::vector<Update> updates(const Json& v, const std::string& rule_ptr,
                              const char* key) {
    std::vector<Update> out;
    if (!v.contains(key)) return out;
    std::string ptr = pointer_append(rule_ptr, key);
    const Json& list = v[key];
    if (!rd_.array(list, ptr)) return out;
    for (std::size_t i = 0; i < list.size(); ++i) {
      Update u;
      u.pointer = pointer_append(ptr, i);
      if (update(list[i], &u)) out.push_back(std::move(u));
    }
    return out;
  }

  bool update(const Json& v, Update* u) {
    const std::string& ptr = u->pointer;
    if (!rd_.object(v, ptr, "update")) return false;
    std::size_t before = diag().error_count();
    rd_.known_fields(v, ptr, "update", {"attr", "op", "value", "field"});
    bool have = rd_.require(v, ptr, "update", "attr");
    have = rd_.require(v, ptr, "update", "op") && have;
    if (!have) return false;
    std::string name;
    if (!rd_.string(v["attr"], ptr + "/attr", &name)) return false;
    auto it = attr_index_.find(name);
    if (it == attr_index_.end()) {
      diag().error(ptr + "/attr", "undeclared attribute " + quote(name));
      return false;
    }
    u->attr = it->second;
    const AttrDecl& a = p_.attrs[u->attr];
    if (a.writer == ucon::kWriterSecure || a.writer == ucon::kWriterAdmin) {
      diag().error(ptr, "rules cannot update " + quote(name) + ": its writer "
                        "is \"" + (a.writer == ucon::kWriterSecure
                                        ? "secure\" (only the secure world's "
                                          "measurements)"
                                        : "admin\" (only signed UPDATE_ATTR)"));
      return false;
    }
    std::size_t op = 0;
    if (!rd_.choice(v["op"], ptr + "/op", "update operation",
                    {"set", "add", "insert", "clear"}, &op)) {
      return false;
    }
    static const std::uint8_t kOps[] = {TZU_ATTR_OP_SET, TZU_ATTR_OP_ADD,
                                        TZU_ATTR_OP_INSERT, TZU_ATTR_OP_CLEAR};
    static const char* const kNames[] = {"set", "add", "insert", "clear"};
    u->op = kOps[op];
    bool want_set = u->op == TZU_ATTR_OP_INSERT;
    bool is_set = a.type == ucon::kAttrSet;
    if (u->op != TZU_ATTR_OP_CLEAR && want_set != is_set) {
      diag().error(ptr + "/op", quote(kNames[op]) + " needs " +
                                    (want_set ? "a set" : "an int") +
                                    " attribute; " + quote(name) + " is " +
                                    (is_set ? "a set" : "an int"));
    }
    bool has_value = v.contains("value"), has_field = v.contains("field");
    if (u->op == TZU_ATTR_OP_CLEAR) {
      if (has_value || has_field) {
        diag().error(ptr, "\"clear\" takes no \"value\" or \"field\"");
      }
    } else if (has_value == has_field) {
      diag().error(ptr, has_value ? "update has both \"value\" and \"field\""
                                  : "update needs \"value\" or \"field\"");
    } else if (has_value) {
      u->value_kind = ucon::kOperandInt;
      rd_.int64(v["value"], ptr + "/value", &u->value);
    } else {
      update_field(v["field"], ptr + "/field", u);
    }
    return diag().error_count() == before;
  }

  void update_field(const Json& v, const std::string& ptr, Update* u) {
    std::string fname;
    if (!rd_.string(v, ptr, &fname)) return;
    const ucon::FieldInfo* f = ucon::field_by_name(fname.data(), fname.size());
    if (f == nullptr) {
      diag().error(ptr, "unknown event field " + quote(fname));
    } else if (f->kind != ucon::FieldKind::kInt) {
      diag().error(ptr, "updates take integer fields; " + quote(fname) +
                            " is not one");
    } else {
      u->value_kind = ucon::kOperandField;
      u->value = f->id;
    }
  }

  JsonReader rd_;
  Policy& p_;
  std::map<std::string, std::uint16_t> attr_index_;
};

}  // namespace

bool parse_policy(const Json& doc, DiagSink* diag, Policy* out) {
  std::size_t before = diag->error_count();
  PolicyParser p(diag, out);
  p.parse(doc);
  return diag->error_count() == before;
}

}  // namespace policyc
