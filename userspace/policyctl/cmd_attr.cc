// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cmd_attr.cc - `policyctl attr NAME --op OP --value V [--key K]`: update a
// mutable attribute in the secure world (which re-checks live sessions).
#include "cli.h"
#include "event_json.h"

namespace policyctl {
namespace {

const char kHelp[] =
    "usage: policyctl attr NAME --op set|add|insert|clear [--value V] [--key K]\n"
    "                      [--device DEV] [--json]\n"
    "       policyctl attr NAME OP [V] [--key K] ...   (same, positional)\n\n"
    "Updates the mutable attribute NAME (as declared in the active policy)\n"
    "in the secure world. Subject and object attributes need --key (the tgid,\n"
    "executable or object key the policy declares); globals ignore it. Live\n"
    "usage sessions whose ongoing predicate no longer holds are revoked and\n"
    "listed. V and K are decimal or 0x-hex; --value is required except with\n"
    "--op clear.\n\n"
    "options:\n"
    "  --op OP       set, add, insert (set attributes) or clear (required)\n"
    "  --value V     operand (signed 64-bit)\n"
    "  --key K       attribute key (unsigned 64-bit, default 0)\n"
    "  --device DEV  TEE device (default /dev/tee0 or $POLICYCTL_TEE_DEVICE)\n"
    "  --json        print {name, value, revoked:[{session, tgid}]}\n\n"
    "exit: 0 updated, 1 usage or secure-world error (e.g. not found),\n"
    "      4 unreachable\n";

int run(const std::vector<std::string>& argv, Context& ctx) {
  Args args(argv,
            {kDeviceOption, {"--op", true}, {"--value", true}, {"--key", true}, {"--json", false}},
            1, 3);
  if (args.help()) {
    ctx.out << kHelp;
    return kExitOk;
  }
  const std::string& name = args.pos()[0];
  if (name.empty() || name.size() >= TZU_NAME_LEN) {
    throw UsageError("attribute name must be 1.." + std::to_string(TZU_NAME_LEN - 1) +
                     " bytes");
  }
  // OP and V may also be given positionally (`attr integrity_state set 2`).
  auto op_opt = args.value("--op");
  auto value_text = args.value("--value");
  if (args.pos().size() > 1) {
    if (op_opt) throw UsageError("OP given both as '--op' and as an argument");
    op_opt = args.pos()[1];
  }
  if (args.pos().size() > 2) {
    if (value_text) throw UsageError("V given both as '--value' and as an argument");
    value_text = args.pos()[2];
  }
  if (!op_opt) throw UsageError("option '--op' is required");
  const std::string op_text = *op_opt;
  std::uint32_t op = attr_op_by_name(op_text);
  if (!op) throw UsageError("--op must be set, add, insert or clear, not '" + op_text + "'");
  if (!value_text && op != TZU_ATTR_OP_CLEAR) throw UsageError("option '--value' is required");
  std::int64_t value = value_text ? parse_i64(*value_text, "--value") : 0;
  std::uint64_t key = 0;
  if (auto k = args.value("--key")) key = parse_u64(*k, "--key");

  auto t = connect(args, ctx);
  auto req = make_request<tzu_update_attr_req>(TZU_CMD_UPDATE_ATTR);
  req.session = t->session();
  req.op = op;
  req.key = key;
  req.value = static_cast<std::uint64_t>(value);
  name.copy(req.name, sizeof(req.name) - 1);
  auto rsp = parse_response<tzu_update_attr_rsp>(call(*t, req, sizeof(tzu_update_attr_rsp)),
                                                 TZU_CMD_UPDATE_ATTR);
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

const Command kAttrCommand = {"attr", "update a mutable attribute in the secure world", kHelp,
                              run};

}  // namespace policyctl
