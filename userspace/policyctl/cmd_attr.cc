// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cmd_attr.cc - `policyctl attr NAME OP [V]`: write an attribute the policy
// declares "writer": "admin" (an administrative command, admin key); the
// secure world re-checks live sessions.
#include <cstring>

#include "admin_request.h"
#include "cli.h"
#include "event_json.h"

namespace policyctl {
namespace {

const char kUsage[] =
    "usage: policyctl attr NAME set|add|insert|clear [V] [--subject-key K | --exe PATH]\n"
    "                      [--token TOKEN | --key ADMIN.key] [--device DEV] [--json]\n"
    "       policyctl attr NAME --op OP [--value V] ...   (same, as options)\n\n"
    "Writes the mutable attribute NAME of the active policy in the secure\n"
    "world. Only attributes the policy declares \"writer\": \"admin\" can be\n"
    "written (others: attribute not writable by an administrator,\n"
    "TZU_E_NOT_WRITABLE); the write is an audit record. Subject and object\n"
    "attributes need --subject-key (the tgid, executable or object key the\n"
    "policy declares); globals take none. Live usage sessions whose ongoing\n"
    "predicate no longer holds are revoked and listed. V and K are decimal or\n"
    "0x-hex; V is required except with clear.\n\n";
const char kOptions[] =
    "\noptions:\n"
    "  --op OP           set, add, insert (set attributes) or clear\n"
    "  --value V         operand (signed 64-bit)\n"
    "  --subject-key K   attribute key (unsigned 64-bit, default 0)\n"
    "  --exe PATH        key of a per-executable attribute for the file PATH\n"
    "  --device DEV      TEE device (default /dev/tee0 or $POLICYCTL_TEE_DEVICE)\n"
    "  --json            print {name, value, revoked:[{session, tgid}]}\n\n"
    "exit: 0 updated, 1 usage, refusal or other secure-world error (e.g. not\n"
    "      found), 4 unreachable\n";

int run(const std::vector<std::string>& argv, Context& ctx) {
  Args args(argv,
            {kDeviceOption, kTokenOption, kAdminKeyOption, kAttrOptions[0], kAttrOptions[1],
             kAttrOptions[2], kAttrOptions[3], {"--json", false}},
            1, 3);
  if (args.help()) {
    ctx.out << kUsage << kAdminAuthHelp << kOptions;
    return kExitOk;
  }
  const std::string& name = args.pos()[0];
  auto bytes = run_admin("attr", args.pos(), args, ctx, sizeof(tzu_update_attr_rsp));
  tzu_update_attr_rsp rsp;
  std::memcpy(&rsp, bytes.data(), sizeof(rsp));
  std::uint32_t n = rsp.n_revoked < TZU_MAX_REVOKE ? rsp.n_revoked : TZU_MAX_REVOKE;
  Json revoked = Json::array();
  for (std::uint32_t i = 0; i < n; ++i) {
    revoked.push_back({{"session", rsp.revoked[i]}, {"tgid", rsp.revoked_tgid[i]}});
  }
  const auto new_value = static_cast<std::int64_t>(rsp.value);
  if (args.has("--json")) {
    ctx.out << dump(Json{{"name", name}, {"value", new_value}, {"revoked", revoked}}) << "\n";
  } else {
    ctx.out << name << " = " << new_value << "\n";
    for (const Json& r : revoked) {
      ctx.out << "revoked session " << r["session"].get<std::uint32_t>() << " (tgid "
              << r["tgid"].get<std::uint32_t>() << ")\n";
    }
    if (rsp.n_revoked > n) {
      ctx.out << "(" << rsp.n_revoked - n << " more revocations in the audit log)\n";
    }
  }
  return kExitOk;
}

}  // namespace

const Command kAttrCommand = {"attr", "write an admin attribute in the secure world", kUsage,
                              run};

}  // namespace policyctl
