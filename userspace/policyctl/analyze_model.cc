// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// analyze_model.cc - attack model JSON -> AttackModel, with diagnostics at
// line:column and JSON pointer (the policy compiler's SourceMap, DiagSink
// and JsonReader; events and setup lines through policyctl's trace codec).
#include "analyze_model.h"

#include <algorithm>
#include <map>

#include "diagnostics.h"
#include "json_read.h"
#include "json_source.h"

namespace policyctl {

using policyc::DiagSink;
using policyc::JsonReader;
using policyc::pointer_append;
using policyc::quote;

const char* const kGoalKinds[5] = {"kernel_code", "process_injection", "key_misuse",
                                   "monitor_disabled", "audit_forged"};

namespace {

// Every TZU_CMD_* with the authority the secure world demands for it.
const CommandInfo kCommands[] = {
    {TZU_CMD_OPEN_SESSION, "open_session", CmdAuthority::kNone},
    {TZU_CMD_CLOSE_SESSION, "close_session", CmdAuthority::kNone},
    {TZU_CMD_DECIDE, "decide", CmdAuthority::kNone},
    {TZU_CMD_LOAD_POLICY, "load_policy", CmdAuthority::kPolicyKey},
    {TZU_CMD_SET_MODE, "set_mode", CmdAuthority::kAdminKey},
    {TZU_CMD_GET_STATS, "get_stats", CmdAuthority::kNone},
    {TZU_CMD_READ_AUDIT, "read_audit", CmdAuthority::kNone},
    {TZU_CMD_UPDATE_ATTR, "update_attr", CmdAuthority::kAdminKey},
    {TZU_CMD_INTEGRITY_CHECK, "integrity_check", CmdAuthority::kNone},
    {TZU_CMD_END_USAGE, "end_usage", CmdAuthority::kAdminKey},
    {TZU_CMD_GET_CHALLENGE, "get_challenge", CmdAuthority::kNone},
    {TZU_CMD_GET_REPORT, "get_report", CmdAuthority::kNone},
    {TZU_CMD_AUDIT_CONFIG, "audit_config", CmdAuthority::kAdminKey},
    {TZU_CMD_INTEGRITY_REGISTER, "integrity_register", CmdAuthority::kNone},
    {TZU_CMD_INTEGRITY_MODULE, "integrity_module", CmdAuthority::kNone},
    {TZU_CMD_HEARTBEAT, "heartbeat", CmdAuthority::kNone},
    {TZU_CMD_INTEGRITY_STATUS, "integrity_status", CmdAuthority::kNone},
};
static_assert(sizeof(kCommands) / sizeof(kCommands[0]) == TZU_CMD_COUNT - 1,
              "a TZU_CMD_* without an authority");

const char* const kKeys[] = {"policy", "admin", "device"};
const char* const kLevels[] = {"user", "root", "kernel"};

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Model, step and capability names: 1-63 of [A-Za-z0-9_.-], alphanumeric first.
bool valid_name(const std::string& s) {
  if (s.empty() || s.size() > 63 || !is_alnum(s[0])) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return is_alnum(c) || c == '_' || c == '-' || c == '.'; });
}

// The codec's messages start with what they are about ("object.kind: ...",
// "subject: unknown key \"x\"", "event: missing \"hook\""): map that back to a
// pointer below the event so the diagnostic lands on the offending value.
void codec_error(DiagSink& diag, const std::string& base, const std::string& msg) {
  const std::size_t colon = msg.find(": ");
  const std::string what = colon == std::string::npos ? "" : msg.substr(0, colon);
  const std::string rest = colon == std::string::npos ? msg : msg.substr(colon + 2);
  std::string unknown;
  const std::string tag = "unknown key \"";
  if (rest.compare(0, tag.size(), tag) == 0 && rest.size() > tag.size() + 1) {
    unknown = rest.substr(tag.size(), rest.size() - tag.size() - 1);
  }
  std::string ptr = base;
  if (what == "subject" || what == "object") ptr = pointer_append(base, what);
  const std::size_t dot = what.find('.');
  if (dot != std::string::npos) {
    ptr = pointer_append(pointer_append(base, what.substr(0, dot)), what.substr(dot + 1));
  } else if (what == "hook" || what == "seq" || what == "flags" || what == "cpu" ||
             what == "name" || what == "key" || what == "value" || what == "attr_op" ||
             what == "mode" || what == "session" || what == "op") {
    ptr = pointer_append(base, what);
  }
  std::string text = "invalid " + std::string(what.empty() ? "event" : what) + ": " + rest;
  if (!unknown.empty()) {
    diag.error_at_key(pointer_append(ptr, unknown), text);
  } else {
    diag.error(ptr, text);
  }
}

class ModelParser {
 public:
  ModelParser(DiagSink* diag, AttackModel* out) : rd_(diag), m_(*out) {}

  void parse(const Json& doc) {
    if (!rd_.object(doc, "", "attack model")) return;
    rd_.known_fields(doc, "", "attack model",
                     {"$schema", "$comment", "model", "description", "attacker",
                      "capabilities", "setup", "goals", "steps"});
    for (const char* f : {"model", "description", "attacker", "goals", "steps"}) {
      rd_.require(doc, "", "attack model", f);
    }
    std::string ignored;
    if (doc.contains("$schema")) rd_.string(doc["$schema"], "/$schema", &ignored);
    if (doc.contains("$comment")) rd_.string(doc["$comment"], "/$comment", &ignored);
    if (doc.contains("model")) name(doc["model"], "/model", "model", &m_.name);
    if (doc.contains("description")) text(doc["description"], "/description", &m_.description);
    for (const char* level : kLevels) declare(level, "attacker start level", "");
    if (doc.contains("attacker")) attacker(doc["attacker"], "/attacker");
    if (doc.contains("capabilities")) capabilities(doc["capabilities"], "/capabilities");
    if (doc.contains("goals")) goals(doc["goals"], "/goals");
    if (extra_start_.first) start_extra(*extra_start_.first, extra_start_.second);
    if (doc.contains("setup")) setup(doc["setup"], "/setup", &m_.setup);
    if (doc.contains("steps")) steps(doc["steps"], "/steps");
  }

 private:
  DiagSink& diag() { return rd_.diag(); }

  void name(const Json& v, const std::string& ptr, const char* what, std::string* out) {
    if (!rd_.string(v, ptr, out)) return;
    if (!valid_name(*out)) {
      diag().error(ptr, std::string("invalid ") + what + " name " + quote(*out) +
                            " (1 to 63 of A-Z a-z 0-9 _ - ., starting with a letter or digit)");
    }
  }

  void text(const Json& v, const std::string& ptr, std::string* out) {
    if (rd_.string(v, ptr, out) &&
        out->find_first_not_of(" \t\r\n") == std::string::npos) {
      diag().error(ptr, "description must not be blank");
    }
  }

  // ptr names the declaring object key (capabilities) or value (goal ids).
  int declare(const std::string& cap, const std::string& what, const std::string& ptr,
              bool at_key = true) {
    if (m_.capability(cap) >= 0) {
      const std::string msg = "capability " + quote(cap) + " declared twice";
      if (at_key) {
        diag().error_at_key(ptr, msg);
      } else {
        diag().error(ptr, msg);
      }
      return -1;
    }
    m_.capabilities.push_back(cap);
    m_.capability_descriptions.push_back(what);
    return static_cast<int>(m_.capabilities.size()) - 1;
  }

  void attacker(const Json& a, const std::string& ptr) {
    if (!rd_.object(a, ptr, "attacker")) return;
    rd_.known_fields(a, ptr, "attacker", {"start", "keys", "subject", "capabilities"});
    rd_.require(a, ptr, "attacker", "start");
    std::size_t level = 0;
    if (a.contains("start") &&
        rd_.choice(a["start"], ptr + "/start", "start level", {"user", "root", "kernel"}, &level)) {
      m_.start = static_cast<StartLevel>(level);
      // Each level includes the ones below it: root is also a user.
      for (std::size_t i = 0; i <= level; ++i) m_.start_capabilities.push_back(static_cast<int>(i));
    }
    if (a.contains("keys") && rd_.array(a["keys"], ptr + "/keys")) {
      for (std::size_t i = 0; i < a["keys"].size(); ++i) {
        std::size_t k = 0;
        const std::string kp = pointer_append(ptr + "/keys", i);
        if (!rd_.choice(a["keys"][i], kp, "key", {"policy", "admin", "device"}, &k)) continue;
        if (m_.has_key(kKeys[k])) {
          diag().error(kp, std::string("key \"") + kKeys[k] + "\" listed twice");
        } else {
          m_.keys.push_back(kKeys[k]);
        }
      }
    }
    if (a.contains("subject")) {
      // Checked once here as a subject; events merge it under their own.
      Json probe = {{"hook", "mmap_file"}, {"subject", a["subject"]}};
      try {
        (void)event_from_json(probe);
        subject_ = a["subject"];
      } catch (const JsonError& e) {
        codec_error(diag(), ptr, e.what());
      }
    }
    if (a.contains("capabilities")) extra_start_ = {&a["capabilities"], ptr + "/capabilities"};
  }

  void capabilities(const Json& c, const std::string& ptr) {
    if (!rd_.object(c, ptr, "capabilities")) return;
    for (auto it = c.begin(); it != c.end(); ++it) {
      const std::string kp = pointer_append(ptr, it.key());
      if (!valid_name(it.key())) {
        diag().error_at_key(kp, "invalid capability name " + quote(it.key()));
        continue;
      }
      std::string desc;
      if (rd_.string(it.value(), kp, &desc)) declare(it.key(), desc, kp);
    }
  }

  void goals(const Json& g, const std::string& ptr) {
    if (!rd_.array(g, ptr)) return;
    if (g.empty()) diag().error(ptr, "an attack model needs at least one goal");
    for (std::size_t i = 0; i < g.size(); ++i) goal(g[i], pointer_append(ptr, i));
  }

  void goal(const Json& g, const std::string& ptr) {
    if (!rd_.object(g, ptr, "goal")) return;
    rd_.known_fields(g, ptr, "goal", {"id", "kind", "description"});
    for (const char* f : {"id", "kind"}) rd_.require(g, ptr, "goal", f);
    ModelGoal goal;
    goal.pointer = ptr;
    if (g.contains("description")) text(g["description"], ptr + "/description", &goal.description);
    std::size_t kind = 0;
    if (g.contains("kind") &&
        rd_.choice(g["kind"], ptr + "/kind", "goal kind",
                   {kGoalKinds[0], kGoalKinds[1], kGoalKinds[2], kGoalKinds[3], kGoalKinds[4]},
                   &kind)) {
      goal.kind = kGoalKinds[kind];
    }
    if (!g.contains("id")) return;
    name(g["id"], ptr + "/id", "goal", &goal.id);
    if (goal.id.empty()) return;
    goal.capability = declare(goal.id, "goal", ptr + "/id", false);
    if (goal.capability >= 0) m_.goals.push_back(goal);
  }

  void setup(const Json& s, const std::string& ptr, std::vector<SetupLine>* out) {
    if (!rd_.array(s, ptr)) return;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const std::string lp = pointer_append(ptr, i);
      SetupLine line;
      line.pointer = lp;
      try {
        line.is_command = is_command(s[i]);
        if (line.is_command) {
          line.command = command_from_json(s[i]);
        } else {
          line.event = event_from_json(with_subject(s[i]));
        }
        out->push_back(line);
      } catch (const JsonError& e) {
        codec_error(diag(), lp, e.what());
      } catch (const Json::exception& e) {
        diag().error(lp, std::string("invalid setup line: ") + e.what());
      }
    }
  }

  Json with_subject(const Json& ev) const {
    if (subject_.is_null() || !ev.is_object()) return ev;
    Json merged = ev;
    Json subj = subject_;
    if (ev.contains("subject") && ev["subject"].is_object()) {
      for (auto it = ev["subject"].begin(); it != ev["subject"].end(); ++it) {
        subj[it.key()] = it.value();
      }
    } else if (ev.contains("subject")) {
      return ev;  // the codec reports the wrong type at the event's subject
    }
    merged["subject"] = subj;
    return merged;
  }

  void steps(const Json& s, const std::string& ptr) {
    if (!rd_.array(s, ptr)) return;
    std::map<std::string, std::string> ids;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const std::string sp = pointer_append(ptr, i);
      ModelStep st;
      if (!step(s[i], sp, &st)) continue;
      if (!ids.emplace(st.id, sp).second) {
        diag().error(sp + "/id", "duplicate step id " + quote(st.id) + " (first at " +
                                     ids[st.id] + ")");
        continue;
      }
      m_.steps.push_back(std::move(st));
    }
  }

  void start_extra(const Json& c, const std::string& ptr) {
    std::vector<int> caps;
    cap_list(c, ptr, &caps);
    for (int cap : caps) {
      if (std::find(m_.start_capabilities.begin(), m_.start_capabilities.end(), cap) ==
          m_.start_capabilities.end()) {
        m_.start_capabilities.push_back(cap);
      }
    }
  }

  void cap_list(const Json& v, const std::string& ptr, std::vector<int>* out) {
    if (!rd_.array(v, ptr)) return;
    for (std::size_t i = 0; i < v.size(); ++i) {
      const std::string cp = pointer_append(ptr, i);
      std::string cap;
      if (!rd_.string(v[i], cp, &cap)) continue;
      int id = m_.capability(cap);
      if (id < 0) {
        diag().error(cp, "undeclared capability " + quote(cap) +
                             " (declare it under \"capabilities\" or as a goal id)");
      } else if (std::find(out->begin(), out->end(), id) != out->end()) {
        diag().error(cp, "capability " + quote(cap) + " listed twice");
      } else {
        out->push_back(id);
      }
    }
  }

  bool step(const Json& s, const std::string& ptr, ModelStep* st) {
    if (!rd_.object(s, ptr, "step")) return false;
    const std::size_t errors = diag().error_count();
    rd_.known_fields(s, ptr, "step",
                     {"id", "description", "requires", "grants", "events", "commands", "setup"});
    for (const char* f : {"id", "requires", "grants"}) rd_.require(s, ptr, "step", f);
    st->pointer = ptr;
    if (s.contains("id")) name(s["id"], ptr + "/id", "step", &st->id);
    if (s.contains("description")) text(s["description"], ptr + "/description", &st->description);
    if (s.contains("requires")) cap_list(s["requires"], ptr + "/requires", &st->needs);
    if (s.contains("grants")) {
      cap_list(s["grants"], ptr + "/grants", &st->grants);
      if (s["grants"].is_array() && s["grants"].empty()) {
        diag().error(ptr + "/grants", "a step must grant at least one capability");
      }
    }
    if (s.contains("setup")) setup(s["setup"], ptr + "/setup", &st->setup);
    if (s.contains("events")) events(s["events"], ptr + "/events", st);
    if (s.contains("commands")) commands(s["commands"], ptr + "/commands", st);
    return diag().error_count() == errors;
  }

  void events(const Json& e, const std::string& ptr, ModelStep* st) {
    if (!rd_.array(e, ptr)) return;
    for (std::size_t i = 0; i < e.size(); ++i) {
      const std::string ep = pointer_append(ptr, i);
      if (!rd_.object(e[i], ep, "event")) continue;
      if (e[i].contains("op")) {
        diag().error_at_key(ep + "/op", "a step's events are hook events; put commands "
                                        "that set engine state under \"setup\"");
        continue;
      }
      try {
        st->events.push_back({event_from_json(with_subject(e[i])), ep});
      } catch (const JsonError& err) {
        codec_error(diag(), ep, err.what());
      }
    }
  }

  void commands(const Json& c, const std::string& ptr, ModelStep* st) {
    if (!rd_.array(c, ptr)) return;
    for (std::size_t i = 0; i < c.size(); ++i) {
      const std::string cp = pointer_append(ptr, i);
      const Json& j = c[i];
      if (!rd_.object(j, cp, "command")) continue;
      rd_.known_fields(j, cp, "command",
                       {"command", "authorization", "malformed", "attr", "description"});
      if (!rd_.require(j, cp, "command", "command")) continue;
      ModelCommand mc;
      mc.pointer = cp;
      std::string nm;
      if (!rd_.string(j["command"], cp + "/command", &nm)) continue;
      mc.info = command_by_name(nm);
      if (!mc.info) {
        diag().error(cp + "/command", "unknown secure-world command " + quote(nm) +
                                          " (a TZU_CMD_* of abi/tzucon_abi.h)");
        continue;
      }
      std::size_t form = 0;
      if (j.contains("authorization") &&
          rd_.choice(j["authorization"], cp + "/authorization", "authorization",
                     {"signed", "forged", "replayed", "none"}, &form)) {
        mc.auth = static_cast<AuthForm>(form);
        if (mc.info->authority == CmdAuthority::kNone) {
          diag().error(cp + "/authorization", std::string("command ") + quote(nm) +
                                                  " takes no authorization");
        }
      }
      if (j.contains("malformed")) rd_.boolean(j["malformed"], cp + "/malformed", &mc.malformed);
      if (j.contains("attr")) attr_write(j["attr"], cp + "/attr", &mc);
      std::string desc;
      if (j.contains("description")) rd_.string(j["description"], cp + "/description", &desc);
      st->commands.push_back(mc);
    }
  }

  // {"name": N, "value": V, "key": K, "attr_op": OP}: what an UPDATE_ATTR
  // writes, in the trace codec's update_attr shape.
  void attr_write(const Json& a, const std::string& ptr, ModelCommand* mc) {
    if (mc->info->id != TZU_CMD_UPDATE_ATTR) {
      diag().error(ptr, "\"attr\" belongs to update_attr commands only");
      return;
    }
    if (!rd_.object(a, ptr, "attribute write")) return;
    Json line = a;
    line["op"] = "update_attr";
    try {
      mc->attr = command_from_json(line);
      mc->has_attr = true;
    } catch (const JsonError& e) {
      codec_error(diag(), ptr, e.what());
    }
  }

  JsonReader rd_;
  AttackModel& m_;
  Json subject_;
  std::pair<const Json*, std::string> extra_start_{nullptr, ""};
};

}  // namespace

const CommandInfo* command_by_name(const std::string& name) {
  std::string n = name;
  if (n.compare(0, 8, "TZU_CMD_") == 0) n = n.substr(8);
  std::transform(n.begin(), n.end(), n.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
  for (const CommandInfo& c : kCommands) {
    if (n == c.name) return &c;
  }
  return nullptr;
}

const char* authority_key(CmdAuthority a) {
  switch (a) {
    case CmdAuthority::kPolicyKey: return "policy";
    case CmdAuthority::kAdminKey: return "admin";
    case CmdAuthority::kNone: break;
  }
  return nullptr;
}

const char* start_level_name(StartLevel s) { return kLevels[static_cast<int>(s)]; }

bool AttackModel::has_key(const char* key) const {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

int AttackModel::capability(const std::string& cap) const {
  auto it = std::find(capabilities.begin(), capabilities.end(), cap);
  return it == capabilities.end() ? -1 : static_cast<int>(it - capabilities.begin());
}

ModelParse parse_attack_model(std::string_view text) {
  ModelParse res;
  Json doc;
  policyc::SourceMap map;
  policyc::JsonError jerr;
  if (!policyc::parse_json(text, &doc, &map, &jerr)) {
    res.errors.push_back(policyc::syntax_diagnostic(jerr, map));
    return res;
  }
  DiagSink diag(&map);
  try {
    ModelParser(&diag, &res.model).parse(doc);
  } catch (const std::exception& e) {
    diag.error("", std::string("internal error reading the model: ") + e.what());
  }
  res.errors = std::move(diag.errors());
  policyc::sort_by_position(&res.errors);
  res.ok = res.errors.empty();
  return res;
}

}  // namespace policyctl
