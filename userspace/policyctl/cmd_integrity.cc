// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cmd_integrity.cc - `policyctl integrity status|check`: the secure world's
// runtime measurement of the kernel (INTEGRITY_STATUS / INTEGRITY_CHECK).
#include "cli.h"
#include "integrity_view.h"

namespace policyctl {
namespace {

const char kHelp[] =
    "usage: policyctl integrity status [--device DEV] [--json]\n"
    "       policyctl integrity check  [--device DEV] [--json]\n\n"
    "Shows what the secure world knows about the running kernel, which it\n"
    "measures on its own timer against the signed kernel manifest:\n"
    "  status  the current state (TZU_CMD_INTEGRITY_STATUS, a query)\n"
    "  check   runs one full measurement pass now, then shows the state\n"
    "          (TZU_CMD_INTEGRITY_CHECK, a query)\n"
    "Printed: the state (unknown: nothing measured yet, ok: the kernel matched\n"
    "its manifest and still matches its baseline, violated: measured memory\n"
    "differed, degraded: the kernel stopped reporting as it must - heartbeat\n"
    "lost, counters disagree, no registration in time; violated and degraded\n"
    "last until reboot), the TZU_IS_* flags by name, the timer period and\n"
    "bytes compared per tick, the expected heartbeat period and timeout, the\n"
    "age of the last heartbeat and of the last full pass and its duration,\n"
    "passes, mismatches, bytes per pass, decisions the kernel says it sent\n"
    "(last heartbeat) against those the secure world served, the manifest's\n"
    "SHA-256, then one line per measured region: name, kind, virtual\n"
    "address, length, mismatches, first differing offset (- if none) and\n"
    "TZU_IRF_* flags (baselined, expected, dirty).\n"
    "--json prints one object with the same fields (times in us; *_age_us\n"
    "null if it never happened, first_offset null if none).\n\n"
    "The exit status says whether the question was answered, not what the\n"
    "state is: read \"state\" from --json to act on it.\n\n"
    "options:\n"
    "  --device DEV  TEE device (default /dev/tee0 or $POLICYCTL_TEE_DEVICE)\n"
    "  --json        print one JSON object\n\n"
    "exit: 0 answered (whatever the state), 1 usage or secure-world error,\n"
    "      4 unreachable or malformed reply\n";

int run(const std::vector<std::string>& argv, Context& ctx) {
  Args args(argv, {kDeviceOption, {"--json", false}}, 1, 1);
  if (args.help()) {
    ctx.out << kHelp;
    return kExitOk;
  }
  const std::string& what = args.pos()[0];
  std::uint32_t cmd = 0;
  if (what == "status") {
    cmd = TZU_CMD_INTEGRITY_STATUS;
  } else if (what == "check") {
    cmd = TZU_CMD_INTEGRITY_CHECK;
  } else {
    throw UsageError("unknown integrity command '" + what + "' (expected status or check)");
  }
  auto t = connect(args, ctx);
  IntegrityStatus s = query_integrity(*t, cmd);
  if (args.has("--json")) {
    ctx.out << dump(integrity_to_json(s)) << "\n";
  } else {
    print_integrity(ctx.out, s);
  }
  return kExitOk;
}

}  // namespace

const Command kIntegrityCommand = {
    "integrity", "show the kernel's measured integrity (status; check runs a pass)", kHelp, run};

}  // namespace policyctl
