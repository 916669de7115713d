// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cmd_mode.cc - `policyctl mode enforce|permissive`: the secure world's
// global mode, an administrative command (admin key).
#include "admin_request.h"
#include "cli.h"
#include "event_json.h"

namespace policyctl {
namespace {

const char kUsage[] =
    "usage: policyctl mode enforce|permissive [--token TOKEN | --key ADMIN.key]\n"
    "                      [--device DEV] [--json]\n\n"
    "Sets the secure world's global mode. In permissive mode every decision\n"
    "is still made and audited, but denials are returned as allow (flagged\n"
    "permissive + would_deny) and kill/revoke obligations are dropped. The\n"
    "change is an audit record.\n\n";
const char kOptions[] =
    "\noptions:\n"
    "  --device DEV  TEE device (default /dev/tee0 or $POLICYCTL_TEE_DEVICE)\n"
    "  --json        print {\"mode\": MODE}\n\n"
    "exit: 0 set, 1 usage, refusal (authorization, replay) or other\n"
    "      secure-world error, 4 unreachable\n";

int run(const std::vector<std::string>& argv, Context& ctx) {
  Args args(argv, {kDeviceOption, kTokenOption, kAdminKeyOption, {"--json", false}}, 1, 1);
  if (args.help()) {
    ctx.out << kUsage << kAdminAuthHelp << kOptions;
    return kExitOk;
  }
  run_admin("mode", args.pos(), args, ctx, sizeof(tzu_hdr));
  const std::string& m = args.pos()[0];
  if (args.has("--json")) {
    ctx.out << dump(Json{{"mode", m}}) << "\n";
  } else {
    ctx.out << "mode: " << m << "\n";
  }
  return kExitOk;
}

}  // namespace

const Command kModeCommand = {"mode", "switch the secure world between enforce and permissive",
                              kUsage, run};

}  // namespace policyctl
