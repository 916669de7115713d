// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cmd_verify_report.cc - `policyctl verify-report REPORT --device-pub P`:
// check a saved report off the device.
#include <cstring>

#include "cli.h"
#include "compiler.h"
#include "event_json.h"
#include "report_view.h"

namespace policyctl {
namespace {

const char kHelp[] =
    "usage: policyctl verify-report REPORT --device-pub DEVICE.pub\n"
    "                               [--nonce HEX] [--json]\n\n"
    "Verifies a report saved by `policyctl report -o REPORT`: its magic and\n"
    "version, the Ed25519 signature by the device key over bytes\n"
    "[16, offsetof(signature)) of struct tzu_report, that it names the device\n"
    "of DEVICE.pub (device id = first 16 bytes of SHA-256 of the key), and,\n"
    "with --nonce, that it answers that nonce. Then prints it.\n\n"
    "options:\n"
    "  --device-pub DEVICE.pub  the device's public key (from the image build)\n"
    "  --nonce HEX              the nonce asked for (64 hex digits)\n"
    "  --json                   print the report with \"valid\" and \"problem\"\n\n"
    "exit: 0 valid, 1 usage or I/O error, 3 invalid\n";

int run(const std::vector<std::string>& argv, Context& ctx) {
  Args args(argv, {{"--device-pub", true}, {"--nonce", true}, {"--json", false}}, 1, 1);
  if (args.help()) {
    ctx.out << kHelp;
    return kExitOk;
  }
  const std::string& path = args.pos()[0];
  const std::string pub_path = args.require("--device-pub");
  std::uint8_t nonce[TZU_NONCE_LEN];
  auto nonce_hex = args.value("--nonce");
  if (nonce_hex && !from_hex(*nonce_hex, nonce, sizeof(nonce))) {
    throw UsageError("--nonce: expected 64 hex digits, got '" + *nonce_hex + "'");
  }
  policyc::PublicKey pub;
  std::string err;
  if (!policyc::read_public_key(pub_path, &pub, &err)) throw CliError(kExitError, err);
  const std::string text = read_file(path);
  auto rep = report_from_bytes(std::vector<std::uint8_t>(text.begin(), text.end()), &err);
  if (!rep) throw CliError(kExitMismatch, "'" + path + "' is not a report: " + err);
  const std::string problem = report_problem(*rep, pub.data(), nonce_hex ? nonce : nullptr);
  if (args.has("--json")) {
    Json j = report_to_json(*rep);
    j["valid"] = problem.empty();
    if (!problem.empty()) j["problem"] = problem;
    ctx.out << dump(j) << "\n";
  } else if (problem.empty()) {
    print_report(ctx.out, *rep);
    ctx.out << "signature: valid\n";
  }
  if (!problem.empty()) {
    throw CliError(kExitMismatch, "'" + path + "' does not verify: " + problem);
  }
  return kExitOk;
}

}  // namespace

const Command kVerifyReportCommand = {"verify-report",
                                      "verify a saved report with the device's public key",
                                      kHelp, run};

}  // namespace policyctl
