// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cmd_authorize.cc - `policyctl authorize --key admin.key --challenge C.json
// COMMAND ARGS... -o TOKEN`: sign one administrative command on the host
// that holds the admin key.
#include "admin_request.h"
#include "cli.h"
#include "compiler.h"
#include "event_json.h"

namespace policyctl {
namespace {

const char kHelp[] =
    "usage: policyctl authorize --key ADMIN.key --challenge CHALLENGE.json\n"
    "                           COMMAND ARGS... -o TOKEN [--json]\n\n"
    "Signs one administrative command for one board and one boot. COMMAND\n"
    "ARGS... are exactly what will be given to the guest command:\n"
    "  mode enforce|permissive\n"
    "  attr NAME set|add|insert|clear [V] [--subject-key K]\n"
    "  end-usage ID\n"
    "  audit-config overflow drop-oldest|fail-closed\n"
    "  audit-config reset-counters\n"
    "CHALLENGE.json is `policyctl challenge` output from the board (device id,\n"
    "this boot's nonce, the next admin counter). The token binds the command,\n"
    "the SHA-256 of every argument byte of the request, the device, the nonce\n"
    "and the counter, signed with Ed25519: it works once, in that boot, on\n"
    "that board, for that command with those arguments. A token made before a\n"
    "later command used the counter is refused as a replay; ask for a new\n"
    "challenge then.\n"
    "TOKEN is the 160-byte struct tzu_auth as 320 hex digits and a newline;\n"
    "it is not secret (it authorizes nothing else).\n"
    "Then on the board: policyctl COMMAND ARGS... --token TOKEN\n\n"
    "options:\n"
    "  --key ADMIN.key       admin private key (required)\n"
    "  --challenge FILE      challenge JSON (required)\n"
    "  -o, --output TOKEN    where to write the token (required)\n"
    "  --json                print {command, counter, device_id, args_sha256, token}\n\n"
    "exit: 0 written, 1 usage, I/O, key or challenge error\n";

int run(const std::vector<std::string>& argv, Context& ctx) {
  Args args(argv,
            {{"--key", true}, {"--challenge", true}, {"-o", true}, {"--output", true},
             kAttrOptions[0], kAttrOptions[1], kAttrOptions[2], kAttrOptions[3],
             {"--json", false}},
            1, 4);
  if (args.help()) {
    ctx.out << kHelp;
    return kExitOk;
  }
  auto out_path = args.output();
  if (!out_path) throw UsageError("option '-o' is required");
  const std::string key_path = args.require("--key");
  const std::string challenge_path = args.require("--challenge");
  std::vector<std::string> operands(args.pos().begin() + 1, args.pos().end());
  AdminRequest req = build_admin_request(args.pos()[0], operands, args);

  policyc::KeyPair kp;
  std::string err;
  if (!policyc::read_private_key(key_path, &kp, &err)) throw CliError(kExitError, err);
  Challenge c;
  try {
    c = challenge_from_json(Json::parse(read_file(challenge_path)));
  } catch (const Json::exception& e) {
    throw CliError(kExitError, "'" + challenge_path + "': invalid JSON: " + e.what());
  } catch (const JsonError& e) {
    throw CliError(kExitError, "'" + challenge_path + "': " + e.what());
  }
  tzu_auth a = sign_auth(req, c, kp.seed.data(), kp.pub.data());
  const std::string token = token_to_text(a);
  write_file_atomic(*out_path, token.data(), token.size());
  const std::string digest = to_hex(a.args_sha256, sizeof(a.args_sha256));
  if (args.has("--json")) {
    ctx.out << dump(Json{{"command", req.text},
                         {"counter", a.counter},
                         {"device_id", to_hex(a.device_id, sizeof(a.device_id))},
                         {"args_sha256", digest},
                         {"token", *out_path}})
            << "\n";
  } else {
    ctx.out << "wrote " << *out_path << ": authorizes '" << req.text << "' on device "
            << to_hex(a.device_id, sizeof(a.device_id)) << ", counter " << a.counter << "\n";
  }
  return kExitOk;
}

}  // namespace

const Command kAuthorizeCommand = {"authorize",
                                   "sign an administrative command for one board and boot",
                                   kHelp, run};

}  // namespace policyctl
