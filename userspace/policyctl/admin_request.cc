// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// admin_request.cc - command line -> authorized request bytes, shared by
// `policyctl authorize` and the guest administrative commands.
#include "admin_request.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "attributes.h"
#include "compiler.h"
#include "event_json.h"

namespace policyctl {
namespace {

template <typename T>
AdminRequest from_struct(const T& req, std::string text) {
  static_assert(sizeof(T) >= TZU_AUTH_ARGS_OFFSET + sizeof(tzu_auth), "layout");
  AdminRequest out;
  out.command = req.hdr.command;
  out.bytes.resize(sizeof(T));
  std::memcpy(out.bytes.data(), &req, sizeof(T));
  out.text = std::move(text);
  return out;
}

void arity(const std::string& command, const std::vector<std::string>& operands,
           std::size_t min, std::size_t max) {
  if (operands.size() < min) throw UsageError(command + ": missing argument");
  if (operands.size() > max) {
    throw UsageError(command + ": unexpected argument '" + operands[max] + "'");
  }
}

AdminRequest mode_request(const std::vector<std::string>& operands) {
  arity("mode", operands, 1, 1);
  const std::string& m = operands[0];
  auto req = make_request<tzu_set_mode_req>(TZU_CMD_SET_MODE);
  req.session = kRequestSession;
  if (m == "enforce") {
    req.mode = TZU_MODE_ENFORCE;
  } else if (m == "permissive") {
    req.mode = TZU_MODE_PERMISSIVE;
  } else {
    throw UsageError("mode must be 'enforce' or 'permissive', not '" + m + "'");
  }
  return from_struct(req, "mode " + m);
}

AdminRequest attr_request(const std::vector<std::string>& operands, const Args& args) {
  arity("attr", operands, 1, 3);
  const std::string& name = operands[0];
  if (name.empty() || name.size() >= TZU_NAME_LEN) {
    throw UsageError("attribute name must be 1.." + std::to_string(TZU_NAME_LEN - 1) +
                     " bytes");
  }
  // OP and V may also be given as options (`attr NAME --op set --value 2`).
  auto op_opt = args.value("--op");
  auto value_text = args.value("--value");
  if (operands.size() > 1) {
    if (op_opt) throw UsageError("OP given both as '--op' and as an argument");
    op_opt = operands[1];
  }
  if (operands.size() > 2) {
    if (value_text) throw UsageError("V given both as '--value' and as an argument");
    value_text = operands[2];
  }
  if (!op_opt) throw UsageError("attr: the operation (set, add, insert or clear) is required");
  const std::uint32_t op = attr_op_by_name(*op_opt);
  if (!op) throw UsageError("OP must be set, add, insert or clear, not '" + *op_opt + "'");
  if (!value_text && op != TZU_ATTR_OP_CLEAR) throw UsageError("attr: VALUE is required");
  if (value_text && op == TZU_ATTR_OP_CLEAR) throw UsageError("attr: clear takes no VALUE");
  const std::int64_t value = value_text ? parse_i64(*value_text, "VALUE") : 0;
  std::uint64_t key = 0;
  if (auto k = args.value("--subject-key")) key = parse_u64(*k, "--subject-key");
  if (auto exe = args.value("--exe")) {
    if (args.has("--subject-key")) throw UsageError("give --exe or --subject-key, not both");
    key = exe_subject_key(*exe);
  }

  auto req = make_request<tzu_update_attr_req>(TZU_CMD_UPDATE_ATTR);
  req.session = kRequestSession;
  req.op = op;
  req.key = key;
  req.value = static_cast<std::uint64_t>(value);
  name.copy(req.name, sizeof(req.name) - 1);
  std::string text = "attr " + name + " " + *op_opt;
  if (value_text) text += " " + std::to_string(value);
  if (key) text += " --subject-key " + std::to_string(key);
  return from_struct(req, text);
}

}  // namespace

std::uint64_t exe_subject_key(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    throw CliError(kExitError, "cannot stat '" + path + "': " + std::strerror(errno));
  }
  // exe_gen as kernel/tz_hooks/event.c reports it: ctime seconds ^ ns.
  tzu_subject s{};
  s.exe_dev = static_cast<std::uint32_t>(st.st_dev);
  s.exe_ino = st.st_ino;
  s.exe_gen = static_cast<std::uint32_t>(st.st_ctim.tv_sec) ^
              static_cast<std::uint32_t>(st.st_ctim.tv_nsec);
  return ucon::exe_key(s);
}

namespace {

AdminRequest end_usage_request(const std::vector<std::string>& operands) {
  arity("end-usage", operands, 1, 1);
  const std::uint64_t id = parse_u64(operands[0], "ID");
  if (id == 0 || id > UINT32_MAX) {
    throw UsageError("ID: expected a usage session id 1..4294967295, got '" + operands[0] +
                     "'");
  }
  auto req = make_request<tzu_end_usage_req>(TZU_CMD_END_USAGE);
  req.session = kRequestSession;
  req.usage = static_cast<std::uint32_t>(id);
  return from_struct(req, "end-usage " + std::to_string(id));
}

AdminRequest audit_config_request(const std::vector<std::string>& operands) {
  arity("audit-config", operands, 1, 2);
  auto req = make_request<tzu_audit_config_req>(TZU_CMD_AUDIT_CONFIG);
  req.session = kRequestSession;
  const std::string& what = operands[0];
  if (what == "reset-counters") {
    arity("audit-config reset-counters", operands, 1, 1);
    req.op = TZU_AUDIT_OP_RESET_COUNTERS;
    return from_struct(req, "audit-config reset-counters");
  }
  if (what != "overflow") {
    throw UsageError("audit-config: expected 'overflow' or 'reset-counters', not '" + what +
                     "'");
  }
  if (operands.size() < 2) throw UsageError("audit-config overflow: missing argument");
  const std::string& mode = operands[1];
  req.op = TZU_AUDIT_OP_SET_OVERFLOW;
  if (mode == "drop-oldest") {
    req.value = TZU_AUDIT_OVERFLOW_DROP_OLDEST;
  } else if (mode == "fail-closed") {
    req.value = TZU_AUDIT_OVERFLOW_FAIL_CLOSED;
  } else {
    throw UsageError("audit-config overflow: expected 'drop-oldest' or 'fail-closed', not '" +
                     mode + "'");
  }
  return from_struct(req, "audit-config overflow " + mode);
}

const char* command_word(std::uint32_t cmd) {
  switch (cmd) {
    case TZU_CMD_SET_MODE: return "mode";
    case TZU_CMD_UPDATE_ATTR: return "attr";
    case TZU_CMD_END_USAGE: return "end-usage";
    case TZU_CMD_AUDIT_CONFIG: return "audit-config";
    default: return "another command";
  }
}

}  // namespace

AdminRequest build_admin_request(const std::string& command,
                                 const std::vector<std::string>& operands,
                                 const Args& args) {
  if (command == "mode") return mode_request(operands);
  if (command == "attr") return attr_request(operands, args);
  if (command == "end-usage") return end_usage_request(operands);
  if (command == "audit-config") return audit_config_request(operands);
  throw UsageError("unknown administrative command '" + command +
                   "' (expected mode, attr, end-usage or audit-config)");
}

Challenge fetch_challenge(Transport& t) {
  auto req = make_request<tzu_session_req>(TZU_CMD_GET_CHALLENGE);
  req.session = kRequestSession;
  return challenge_from_rsp(parse_response<tzu_challenge_rsp>(
      call(t, req, sizeof(tzu_challenge_rsp)), TZU_CMD_GET_CHALLENGE));
}

void authorize_request(AdminRequest* req, const Args& args, Transport& t) {
  auto token_path = args.value("--token");
  auto key_path = args.value("--key");
  if (token_path && key_path) throw UsageError("give either --token or --key, not both");
  if (token_path) {
    tzu_auth a;
    if (!token_from_text(read_file(*token_path), &a)) {
      throw CliError(kExitError, "'" + *token_path + "' is not a token (" +
                                     std::to_string(2 * sizeof(tzu_auth)) +
                                     " hex digits from `policyctl authorize`)");
    }
    if (a.command != req->command) {
      throw CliError(kExitError, "token '" + *token_path + "' authorizes " +
                                     command_word(a.command) + ", not " + req->text);
    }
    auto digest = args_digest(*req);
    if (std::memcmp(digest.data(), a.args_sha256, digest.size()) != 0) {
      throw CliError(kExitError, "token '" + *token_path +
                                     "' was made for other arguments than '" + req->text +
                                     "'");
    }
    req->set_auth(a);
    return;
  }
  if (key_path) {
    policyc::KeyPair kp;
    std::string err;
    if (!policyc::read_private_key(*key_path, &kp, &err)) throw CliError(kExitError, err);
    Challenge c = fetch_challenge(t);
    req->set_auth(sign_auth(*req, c, kp.seed.data(), kp.pub.data()));
  }
}

std::vector<std::uint8_t> send_admin(Transport& t, const AdminRequest& req,
                                     std::size_t min_rsp) {
  std::vector<std::uint8_t> rsp =
      t.invoke(req.command, req.bytes.data(), req.bytes.size(), min_rsp);
  try {
    check_response(rsp, req.command, min_rsp);
  } catch (const SecureError& e) {
    if (e.status() == TZU_E_AUTH_REQUIRED) {
      throw SecureError(e.status(), std::string(e.what()) +
                                        "; give --token TOKEN (from `policyctl authorize`) "
                                        "or --key ADMIN.key");
    }
    throw;
  }
  return rsp;
}

std::vector<std::uint8_t> run_admin(const std::string& command,
                                    const std::vector<std::string>& operands,
                                    const Args& args, Context& ctx, std::size_t min_rsp) {
  AdminRequest req = build_admin_request(command, operands, args);
  auto t = connect(args, ctx);
  authorize_request(&req, args, *t);
  return send_admin(*t, req, min_rsp);
}

const char kAdminAuthHelp[] =
    "authorization (one of):\n"
    "  --token TOKEN  a token from `policyctl authorize` on the host that holds\n"
    "                 the admin key, made for exactly this command and these\n"
    "                 arguments from this boot's `policyctl challenge`\n"
    "  --key ADMIN.key  the admin private key itself (a lab board that keeps\n"
    "                 it): fetches the challenge and signs here\n"
    "  (neither)      the request is sent unauthorized and the secure world\n"
    "                 refuses it: admin authorization required\n"
    "                 (TZU_E_AUTH_REQUIRED), exit 1\n";

}  // namespace policyctl
