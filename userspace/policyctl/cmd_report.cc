// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cmd_report.cc - `policyctl report --nonce HEX`: the secure world's signed
// statement of what it enforces (GET_REPORT).
#include <cstring>

#include "cli.h"
#include "compiler.h"
#include "event_json.h"
#include "report_view.h"

namespace policyctl {
namespace {

const char kHelp[] =
    "usage: policyctl report --nonce HEX [-o FILE] [--device-pub DEVICE.pub]\n"
    "                        [--device DEV] [--json]\n\n"
    "Asks the secure world for a report (TZU_CMD_GET_REPORT, a query): device\n"
    "id, boot counter, active policy digest and version, mode, integrity and\n"
    "storage state, rollback floor, kernel command line digest, audit head\n"
    "and counters, kernel integrity (passes, mismatches, TZU_IS_* flags, the\n"
    "latest detection's region kind, address, offset and expected/observed\n"
    "page digests, kernel manifest digest; report version 2), and the nonce,\n"
    "signed with the device key (Ed25519). Pick\n"
    "a fresh nonce on the verifier's side, so an old report cannot be passed\n"
    "off as new. The raw report (struct tzu_report) is saved to FILE for\n"
    "`policyctl verify-report` off the device, and printed.\n\n"
    "options:\n"
    "  --nonce HEX             64 hex digits (required)\n"
    "  -o, --output FILE       save the raw report\n"
    "  --device-pub DEVICE.pub also verify it here (exit 3 if invalid)\n"
    "  --device DEV            TEE device (default /dev/tee0 or\n"
    "                          $POLICYCTL_TEE_DEVICE)\n"
    "  --json                  print one JSON object\n\n"
    "exit: 0 ok, 1 usage, I/O or secure-world error, 3 does not verify,\n"
    "      4 unreachable\n";

int run(const std::vector<std::string>& argv, Context& ctx) {
  Args args(argv,
            {kDeviceOption, {"--nonce", true}, {"-o", true}, {"--output", true},
             {"--device-pub", true}, {"--json", false}},
            0, 0);
  if (args.help()) {
    ctx.out << kHelp;
    return kExitOk;
  }
  auto req = make_request<tzu_report_req>(TZU_CMD_GET_REPORT);
  req.session = kRequestSession;
  const std::string nonce_hex = args.require("--nonce");
  if (!from_hex(nonce_hex, req.nonce, sizeof(req.nonce))) {
    throw UsageError("--nonce: expected 64 hex digits, got '" + nonce_hex + "'");
  }
  policyc::PublicKey pub;
  auto pub_path = args.value("--device-pub");
  std::string err;
  if (pub_path && !policyc::read_public_key(*pub_path, &pub, &err)) {
    throw CliError(kExitError, err);
  }
  auto out_path = args.output();

  auto t = connect(args, ctx);
  tzu_report rep =
      parse_response<tzu_report>(call(*t, req, sizeof(tzu_report)), TZU_CMD_GET_REPORT);
  if (out_path) write_file_atomic(*out_path, &rep, sizeof(rep));
  std::string problem;
  if (pub_path) problem = report_problem(rep, pub.data(), req.nonce);
  if (args.has("--json")) {
    Json j = report_to_json(rep);
    if (pub_path) j["valid"] = problem.empty();
    ctx.out << dump(j) << "\n";
  } else {
    print_report(ctx.out, rep);
    if (out_path) ctx.out << "saved to " << *out_path << "\n";
  }
  if (!problem.empty()) throw CliError(kExitMismatch, "report does not verify: " + problem);
  if (pub_path && !args.has("--json")) ctx.out << "signature: valid\n";
  return kExitOk;
}

}  // namespace

const Command kReportCommand = {"report", "get the secure world's signed report", kHelp, run};

}  // namespace policyctl
