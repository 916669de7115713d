// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cmd_stats.cc - `policyctl stats`: the secure world's decision counters.
#include "cli.h"
#include "event_json.h"
#include "fields.h"
#include "report_view.h"
#include "stats_query.h"

namespace policyctl {
namespace {

const char kHelp[] =
    "usage: policyctl stats [--device DEV] [--json]\n\n"
    "Prints the secure world's counters since boot: decisions (allowed,\n"
    "denied, permissive denials, filtered), errors, revocations, audit\n"
    "records appended and dropped, policy loads and rejects, refused\n"
    "authorizations, fail-closed audit denials, the persistent boot and admin\n"
    "counters and rollback floor, storage state, and decisions per hook.\n\n"
    "options:\n"
    "  --device DEV  TEE device (default /dev/tee0 or $POLICYCTL_TEE_DEVICE)\n"
    "  --json        print one JSON object\n\n"
    "exit: 0 ok, 1 secure-world error, 4 unreachable\n";

int run(const std::vector<std::string>& argv, Context& ctx) {
  Args args(argv, {kDeviceOption, {"--json", false}}, 0, 0);
  if (args.help()) {
    ctx.out << kHelp;
    return kExitOk;
  }
  auto t = connect(args, ctx);
  tzu_stats s = query_stats(*t);
  Json per_hook = Json::object();
  for (std::uint32_t h = 1; h < TZU_HOOK_COUNT; ++h) {
    if (s.per_hook[h]) per_hook[ucon::hook_name(h)] = s.per_hook[h];
  }
  const char* mode = mode_name(s.mode);
  Json j = {{"decisions", s.decisions},
            {"allowed", s.allowed},
            {"denied", s.denied},
            {"permissive_denials", s.permissive_denials},
            {"filtered", s.filtered},
            {"errors", s.errors},
            {"revocations", s.revocations},
            {"audit_records", s.audit_records},
            {"audit_dropped", s.audit_dropped},
            {"policy_loads", s.policy_loads},
            {"policy_rejects", s.policy_rejects},
            {"auth_failures", s.auth_failures},
            {"audit_full_denials", s.audit_full_denials},
            {"boot_counter", s.boot_counter},
            {"admin_counter", s.admin_counter},
            {"epoch", s.epoch},
            {"policy_version", s.policy_version},
            {"mode", mode ? Json(mode) : Json(s.mode)},
            {"live_sessions", s.live_sessions},
            {"integrity", integrity_name(s.integrity_state)},
            {"storage", storage_state_name(s.storage_state)},
            {"flags", secure_flag_names(s.flags)},
            {"rollback_floor", s.rollback_floor},
            {"client_sessions", s.client_sessions},
            {"per_hook", per_hook}};
  if (args.has("--json")) {
    ctx.out << dump(j) << "\n";
    return kExitOk;
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.key() == "per_hook") continue;
    std::string v = it.value().is_string() ? it.value().get<std::string>() : dump(it.value());
    ctx.out << it.key() << ": " << v << "\n";
  }
  for (auto it = per_hook.begin(); it != per_hook.end(); ++it) {
    ctx.out << "hook " << it.key() << ": " << dump(it.value()) << "\n";
  }
  return kExitOk;
}

}  // namespace

const Command kStatsCommand = {"stats", "show the secure world's decision counters", kHelp, run};

}  // namespace policyctl
