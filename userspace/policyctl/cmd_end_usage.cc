// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cmd_end_usage.cc - `policyctl end-usage ID`: end a usage session from user
// space (an administrative command, admin key).
#include "admin_request.h"
#include "cli.h"
#include "event_json.h"

namespace policyctl {
namespace {

const char kUsage[] =
    "usage: policyctl end-usage ID [--token TOKEN | --key ADMIN.key]\n"
    "                           [--device DEV] [--json]\n\n"
    "Ends the live usage session ID (as listed in decisions and audit\n"
    "records): its rule's post-updates run and the end is an audit record.\n"
    "The kernel's own lifecycle events (process exit, key freed) end sessions\n"
    "without this; from user space it needs the admin key.\n\n";
const char kOptions[] =
    "\noptions:\n"
    "  --device DEV  TEE device (default /dev/tee0 or $POLICYCTL_TEE_DEVICE)\n"
    "  --json        print {\"ended\": ID}\n\n"
    "exit: 0 ended, 1 usage, refusal or secure-world error (not found),\n"
    "      4 unreachable\n";

int run(const std::vector<std::string>& argv, Context& ctx) {
  Args args(argv, {kDeviceOption, kTokenOption, kAdminKeyOption, {"--json", false}}, 1, 1);
  if (args.help()) {
    ctx.out << kUsage << kAdminAuthHelp << kOptions;
    return kExitOk;
  }
  run_admin("end-usage", args.pos(), args, ctx, sizeof(tzu_hdr));
  const std::uint64_t id = parse_u64(args.pos()[0], "ID");
  if (args.has("--json")) {
    ctx.out << dump(Json{{"ended", id}}) << "\n";
  } else {
    ctx.out << "ended usage session " << id << "\n";
  }
  return kExitOk;
}

}  // namespace

const Command kEndUsageCommand = {"end-usage", "end a usage session (admin)", kUsage, run};

}  // namespace policyctl
