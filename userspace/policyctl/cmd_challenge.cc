// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cmd_challenge.cc - `policyctl challenge [-o FILE]`: this boot's nonce and
// the next admin counter, for `policyctl authorize` on the host.
#include "admin_request.h"
#include "cli.h"
#include "event_json.h"

namespace policyctl {
namespace {

const char kHelp[] =
    "usage: policyctl challenge [-o FILE] [--device DEV]\n\n"
    "Asks the secure world for its challenge (TZU_CMD_GET_CHALLENGE, a query)\n"
    "and prints it as one JSON object:\n"
    "  {\"device_id\":\"<32 hex>\",\"nonce\":\"<64 hex>\",\"boot_counter\":N,\n"
    "   \"next_counter\":N}\n"
    "The nonce is fresh every boot; next_counter is the counter the next\n"
    "authorization must carry. Copy it to the host that holds the admin key\n"
    "and run `policyctl authorize --challenge FILE ...` there.\n\n"
    "options:\n"
    "  -o, --output FILE  write the JSON to FILE (atomically) instead of stdout\n"
    "  --device DEV       TEE device (default /dev/tee0 or $POLICYCTL_TEE_DEVICE)\n\n"
    "exit: 0 ok, 1 I/O or secure-world error, 4 unreachable\n";

int run(const std::vector<std::string>& argv, Context& ctx) {
  Args args(argv, {kDeviceOption, {"-o", true}, {"--output", true}, {"--json", false}}, 0, 0);
  if (args.help()) {
    ctx.out << kHelp;
    return kExitOk;
  }
  auto out_path = args.output();
  auto t = connect(args, ctx);
  const std::string text = dump(challenge_to_json(fetch_challenge(*t))) + "\n";
  if (out_path) {
    write_file_atomic(*out_path, text.data(), text.size());
    ctx.out << "wrote challenge to " << *out_path << "\n";
  } else {
    ctx.out << text;
  }
  return kExitOk;
}

}  // namespace

const Command kChallengeCommand = {"challenge",
                                   "print this boot's nonce and admin counter (for authorize)",
                                   kHelp, run};

}  // namespace policyctl
