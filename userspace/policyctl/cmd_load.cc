// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cmd_load.cc - `policyctl load BLOB`: hand a signed blob to the secure world.
#include <cstring>

#include "cli.h"
#include "event_json.h"
#include "engine.h"

namespace policyctl {
namespace {

const char kHelp[] =
    "usage: policyctl load BLOB [--device DEV] [--json]\n\n"
    "Sends the signed policy blob BLOB (from `policyctl compile`) to the\n"
    "secure world (TZU_CMD_LOAD_POLICY). The secure world checks its Ed25519\n"
    "signature (policy key), that it is bound to this device (or to any),\n"
    "its structure and its version (above the persistent rollback floor; the\n"
    "same version only for the identical blob), then swaps it in atomically;\n"
    "a rejected blob leaves the active policy in force.\n\n"
    "options:\n"
    "  --device DEV  TEE device (default /dev/tee0 or $POLICYCTL_TEE_DEVICE)\n"
    "  --json        print {epoch, policy_version, interest_mask, rules, revoked}\n\n"
    "exit: 0 loaded, 1 I/O or other secure-world error, 2 blob rejected\n"
    "      (signature invalid, wrong device, malformed, rollback, too large),\n"
    "      4 unreachable\n";

int run(const std::vector<std::string>& argv, Context& ctx) {
  Args args(argv, {kDeviceOption, {"--json", false}}, 1, 1);
  if (args.help()) {
    ctx.out << kHelp;
    return kExitOk;
  }
  const std::string& path = args.pos()[0];
  std::string blob = read_file(path);
  // The secure world's policy buffer (EngineConfig default, which the
  // monitor and the driver's request buffer are sized for).
  const std::size_t limit = ucon::EngineConfig().max_blob_bytes;
  if (blob.size() > limit) {
    throw CliError(kExitInvalid, "'" + path + "' is " + std::to_string(blob.size()) +
                                     " bytes; the secure world takes at most " +
                                     std::to_string(limit));
  }
  auto req = make_request<tzu_load_policy_req>(TZU_CMD_LOAD_POLICY);
  std::vector<std::uint8_t> msg(sizeof(req) + blob.size());
  auto t = connect(args, ctx);
  req.hdr.size = static_cast<std::uint32_t>(msg.size());
  req.session = kRequestSession;
  req.blob_size = static_cast<std::uint32_t>(blob.size());
  std::memcpy(msg.data(), &req, sizeof(req));
  std::memcpy(msg.data() + sizeof(req), blob.data(), blob.size());

  tzu_load_policy_rsp rsp;
  try {
    rsp = parse_response<tzu_load_policy_rsp>(
        t->invoke(TZU_CMD_LOAD_POLICY, msg.data(), msg.size(), sizeof(rsp)),
        TZU_CMD_LOAD_POLICY);
  } catch (const SecureError& e) {
    switch (e.status()) {
      case TZU_E_AUTH:
      case TZU_E_WRONG_DEVICE:
      case TZU_E_MALFORMED:
      case TZU_E_ROLLBACK:
      case TZU_E_BAD_SIZE:
      case TZU_E_LIMIT:
        throw CliError(kExitInvalid, "'" + path + "' rejected: " + status_text(e.status()) +
                                         " (" + status_symbol(e.status()) +
                                         "); the active policy is unchanged");
      default:
        throw;
    }
  }
  if (args.has("--json")) {
    ctx.out << dump(Json{{"epoch", rsp.epoch},
                         {"policy_version", rsp.policy_version},
                         {"interest_mask", hook_mask_names(rsp.interest_mask)},
                         {"rules", rsp.n_rules},
                         {"revoked", rsp.n_revoked}})
            << "\n";
  } else {
    ctx.out << "loaded " << path << ": epoch " << rsp.epoch << ", policy version "
            << rsp.policy_version << ", " << rsp.n_rules << " rules, "
            << rsp.n_revoked << " sessions revoked by the swap\n";
  }
  return kExitOk;
}

}  // namespace

const Command kLoadCommand = {"load", "load a signed blob into the secure world", kHelp, run};

}  // namespace policyctl
