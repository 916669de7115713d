// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cmd_mode.cc - `policyctl mode enforce|permissive`: the secure world's global mode.
#include "cli.h"
#include "event_json.h"

namespace policyctl {
namespace {

const char kHelp[] =
    "usage: policyctl mode enforce|permissive [--device DEV] [--json]\n\n"
    "Sets the secure world's global mode. In permissive mode every decision\n"
    "is still made and audited, but denials are returned as allow (flagged\n"
    "permissive + would_deny) and kill/revoke obligations are dropped.\n\n"
    "options:\n"
    "  --device DEV  TEE device (default /dev/tee0 or $POLICYCTL_TEE_DEVICE)\n"
    "  --json        print {\"mode\": MODE}\n\n"
    "exit: 0 set, 1 usage or secure-world error, 4 unreachable\n";

int run(const std::vector<std::string>& argv, Context& ctx) {
  Args args(argv, {kDeviceOption, {"--json", false}}, 1, 1);
  if (args.help()) {
    ctx.out << kHelp;
    return kExitOk;
  }
  const std::string& m = args.pos()[0];
  std::uint32_t mode;
  if (m == "enforce") {
    mode = TZU_MODE_ENFORCE;
  } else if (m == "permissive") {
    mode = TZU_MODE_PERMISSIVE;
  } else {
    throw UsageError("mode must be 'enforce' or 'permissive', not '" + m + "'");
  }
  auto t = connect(args, ctx);
  auto req = make_request<tzu_set_mode_req>(TZU_CMD_SET_MODE);
  req.session = t->session();
  req.mode = mode;
  check_response(call(*t, req, sizeof(tzu_hdr)), TZU_CMD_SET_MODE, sizeof(tzu_hdr));
  if (args.has("--json")) {
    ctx.out << dump(Json{{"mode", m}}) << "\n";
  } else {
    ctx.out << "mode: " << m << "\n";
  }
  return kExitOk;
}

}  // namespace

const Command kModeCommand = {"mode", "switch the secure world between enforce and permissive",
                              kHelp, run};

}  // namespace policyctl
