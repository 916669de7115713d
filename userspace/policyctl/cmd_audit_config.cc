// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cmd_audit_config.cc - `policyctl audit-config ...`: audit ring overflow
// behaviour and counter reset (an administrative command, admin key).
#include "admin_request.h"
#include "cli.h"
#include "event_json.h"

namespace policyctl {
namespace {

const char kUsage[] =
    "usage: policyctl audit-config overflow drop-oldest|fail-closed\n"
    "       policyctl audit-config reset-counters\n"
    "                 [--token TOKEN | --key ADMIN.key] [--device DEV] [--json]\n\n"
    "overflow: what the secure world does when the audit ring is full of\n"
    "records nobody drained (`policyctl audit --follow`): drop-oldest\n"
    "overwrites them (counted in audit_dropped), fail-closed denies auditable\n"
    "events until a reader drains the ring. The policy's \"audit_overflow\"\n"
    "sets it at load; this overrides it until the next load.\n"
    "reset-counters: zeroes the decision statistics (the old values go into\n"
    "the audit record of the reset).\n\n";
const char kOptions[] =
    "\noptions:\n"
    "  --device DEV  TEE device (default /dev/tee0 or $POLICYCTL_TEE_DEVICE)\n"
    "  --json        print {\"audit_config\": WHAT}\n\n"
    "exit: 0 done, 1 usage, refusal or secure-world error, 4 unreachable\n";

int run(const std::vector<std::string>& argv, Context& ctx) {
  Args args(argv, {kDeviceOption, kTokenOption, kAdminKeyOption, {"--json", false}}, 1, 2);
  if (args.help()) {
    ctx.out << kUsage << kAdminAuthHelp << kOptions;
    return kExitOk;
  }
  run_admin("audit-config", args.pos(), args, ctx, sizeof(tzu_hdr));
  std::string what = args.pos()[0];
  if (args.pos().size() > 1) what += " " + args.pos()[1];
  if (args.has("--json")) {
    ctx.out << dump(Json{{"audit_config", what}}) << "\n";
  } else {
    ctx.out << "audit-config: " << what << "\n";
  }
  return kExitOk;
}

}  // namespace

const Command kAuditConfigCommand = {"audit-config",
                                     "audit overflow mode, counter reset (admin)", kUsage, run};

}  // namespace policyctl
