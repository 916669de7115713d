// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cmd_status.cc - `policyctl status`: what the secure world is enforcing now.
#include "cli.h"
#include "event_json.h"
#include "report_view.h"
#include "stats_query.h"

namespace policyctl {
namespace {

const char kHelp[] =
    "usage: policyctl status [--device DEV] [--json]\n\n"
    "Shows the secure world's current state: policy epoch and version, mode,\n"
    "live usage sessions, hooks of interest, kernel integrity state, whether\n"
    "the image's boot policy is in force, persistent storage state, rollback\n"
    "floor and boot counter.\n\n"
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
  const char* mode = mode_name(s.mode);
  Json j = {{"transport", t->describe()},
            {"policy_loaded", s.epoch != 0},
            {"epoch", s.epoch},
            {"policy_version", s.policy_version},
            {"mode", mode ? Json(mode) : Json(s.mode)},
            {"live_sessions", s.live_sessions},
            {"interest_mask", hook_mask_names(s.interest_mask)},
            {"integrity", integrity_name(s.integrity_state)},
            {"boot_policy", (s.flags & TZU_SF_BOOT_POLICY) != 0},
            {"storage", storage_state_name(s.storage_state)},
            {"flags", secure_flag_names(s.flags)},
            {"rollback_floor", s.rollback_floor},
            {"boot_counter", s.boot_counter}};
  if (args.has("--json")) {
    ctx.out << dump(j) << "\n";
    return kExitOk;
  }
  ctx.out << "transport:      " << t->describe() << "\n";
  if (s.epoch == 0) {
    ctx.out << "policy:         none loaded\n";
  } else {
    ctx.out << "policy:         version " << s.policy_version << ", epoch " << s.epoch
            << ((s.flags & TZU_SF_BOOT_POLICY) ? " (the image's boot policy)" : "") << "\n";
  }
  ctx.out << "mode:           " << (mode ? mode : "?") << "\n"
          << "live sessions:  " << s.live_sessions << "\n"
          << "hooks:          " << dump(j["interest_mask"]) << "\n"
          << "integrity:      " << integrity_name(s.integrity_state) << "\n"
          << "storage:        " << storage_state_name(s.storage_state) << ", rollback floor "
          << s.rollback_floor << ", boot " << s.boot_counter << "\n"
          << "flags:          " << dump(j["flags"]) << "\n";
  return kExitOk;
}

}  // namespace

const Command kStatusCommand = {"status", "show the secure world's policy, mode and state",
                                kHelp, run};

}  // namespace policyctl
