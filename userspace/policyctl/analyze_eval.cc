// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// analyze_eval.cc - one fresh host engine per step: model setup, step setup,
// then the step's events, stopping at the first denial.
#include "analyze_eval.h"

#include <algorithm>

#include "cli.h"
#include "fields.h"
#include "policy_io.h"
#include "replay.h"
#include "status.h"

namespace policyctl {

namespace {

CommandOutcome judge_command(const AttackModel& m, const ModelCommand& c) {
  CommandOutcome o;
  const std::string name = c.info->name;
  if (c.malformed) {
    o.refused = true;
    o.reason = name + ": malformed request, refused with an error code by the secure "
                      "world's validation (docs/threat-model.md)";
    return o;
  }
  const char* key = authority_key(c.info->authority);
  if (!key) {
    o.reason = name + ": needs no authorization";
    return o;
  }
  const std::string needs = std::string("the ") + key + " key";
  switch (c.auth) {
    case AuthForm::kReplayed:
      o.refused = true;
      o.reason = name + ": replayed authorization, refused (nonce of another boot or "
                        "a used counter; for a policy blob, the rollback floor)";
      return o;
    case AuthForm::kForged:
    case AuthForm::kNone:
      o.refused = true;
      o.reason = name + ": needs a signature by " + needs + "; a forged or missing one is refused";
      return o;
    case AuthForm::kSigned:
      o.refused = !m.has_key(key);
      o.reason = name + (o.refused ? ": needs a signature by " + needs +
                                         ", which the attacker does not hold"
                                   : ": signed with " + needs + ", which the attacker holds");
      return o;
  }
  return o;
}

void add_rule(std::vector<std::uint32_t>* rules, const tzu_decision& d) {
  if (d.rule_id != 0 && std::find(rules->begin(), rules->end(), d.rule_id) == rules->end()) {
    rules->push_back(d.rule_id);
  }
}

}  // namespace

const char* blocked_by_name(BlockedBy b) {
  switch (b) {
    case BlockedBy::kNone: return "none";
    case BlockedBy::kRule: return "rule";
    case BlockedBy::kDefault: return "default";
    case BlockedBy::kAuthority: return "authority";
    case BlockedBy::kValidation: return "validation";
    case BlockedBy::kEngine: return "engine";
  }
  return "?";
}

StepEvaluator::StepEvaluator(const policyc::CompileResult* policy, const policyc::KeyPair* key,
                             std::uint32_t mode)
    : policy_(policy), key_(key), mode_(mode) {
  if (policy_) names_ = rule_names(*policy_);
}

StepVerdict StepEvaluator::evaluate(const AttackModel& m, const ModelStep& s) const {
  StepVerdict v;
  for (const ModelEvent& e : s.events) v.hooks.push_back(e.event.hook);
  std::sort(v.hooks.begin(), v.hooks.end());
  v.hooks.erase(std::unique(v.hooks.begin(), v.hooks.end()), v.hooks.end());
  decide_events(m, s, &v);
  return v;
}

// Commands go after the events (a step's events are what the kernel sees
// first); an UPDATE_ATTR that passes the authority check is applied to the
// same engine, which refuses attributes whose writer is not "admin".
void StepEvaluator::run_commands(const AttackModel& m, const ModelStep& s, ucon::Engine* engine,
                                 StepVerdict* v) const {
  for (std::size_t i = 0; i < s.commands.size(); ++i) {
    const ModelCommand& c = s.commands[i];
    CommandOutcome o = judge_command(m, c);
    BlockedBy by = c.malformed ? BlockedBy::kValidation : BlockedBy::kAuthority;
    if (!o.refused && c.has_attr && engine) {
      std::int64_t value = 0;
      ucon::Revocations rev;
      ucon::Status st = engine->update_attr(c.attr.name.data(), c.attr.name.size(),
                                            c.attr.attr_op, c.attr.key, c.attr.value, &value,
                                            &rev);
      if (st != ucon::Status::kOk) {
        o.refused = true;
        o.reason += std::string("; the engine refuses the write of ") + c.attr.name + ": " +
                    ucon::status_name(st);
        by = BlockedBy::kEngine;
      } else {
        o.reason += "; the engine accepts the write of " + c.attr.name;
      }
    } else if (!o.refused && c.has_attr) {
      o.reason += "; no policy: the write is not checked";
    }
    v->commands.push_back(o);
    if (o.refused && !v->blocked) {
      v->blocked = true;
      v->command = static_cast<int>(i);
      v->by = by;
    }
  }
}

void StepEvaluator::decide_events(const AttackModel& m, const ModelStep& s,
                                  StepVerdict* v) const {
  if (!policy_) {
    // Monitor off: no hook asks the secure world, every event goes ahead.
    for (const ModelEvent& e : s.events) {
      EventOutcome o;
      o.decision = {{"hook", ucon::hook_name(e.event.hook)}, {"verdict", "allow"},
                    {"rule", 0}, {"flags", Json::array({"no_policy"})}};
      v->events.push_back(o);
    }
    run_commands(m, s, nullptr, v);
    return;
  }
  HostEngine host(key_->pub.data(),
                  policy_->any_device ? kHostDeviceId : policy_->device_id.data());
  ucon::LoadResult lr;
  ucon::Status st = host.ok() ? host.load(policy_->blob, &lr) : host.status();
  if (st != ucon::Status::kOk) {
    throw CliError(kExitInvalid, std::string("the engine rejected the compiled policy: ") +
                                     ucon::status_name(st));
  }
  if (mode_ != UINT32_MAX) host.engine().set_mode(mode_);
  Replayer replay(&host.engine(), names_);
  auto run_setup = [&](const std::vector<SetupLine>& lines) {
    for (const SetupLine& l : lines) {
      if (l.is_command) {
        Json r = replay.command(l.command);
        if (r.value("status", "") != "ok") {
          v->notes.push_back("setup " + l.pointer + ": " + r.value("status", "?"));
        }
        continue;
      }
      tzu_decision d{};
      host.engine().decide(l.event, &d, nullptr);
      add_rule(&v->deciding_rules, d);
    }
  };
  run_setup(m.setup);
  run_setup(s.setup);
  for (std::size_t i = 0; i < s.events.size(); ++i) {
    tzu_decision d{};
    host.engine().decide(s.events[i].event, &d, nullptr);
    EventOutcome o;
    o.decision = decision_to_json(d, s.events[i].event.hook, names_);
    o.denied = d.verdict == TZU_VERDICT_DENY;
    o.would_deny = (d.flags & TZU_DF_WOULD_DENY) != 0 && !o.denied;
    add_rule(&v->deciding_rules, d);
    v->events.push_back(o);
    if (!o.denied) continue;
    v->blocked = true;
    v->by = d.rule_id ? BlockedBy::kRule : BlockedBy::kDefault;
    v->rule = d.rule_id;
    v->event = static_cast<int>(i);
    return;  // the attack stops at the first refusal
  }
  run_commands(m, s, &host.engine(), v);
}

}  // namespace policyctl
