// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cmd_compile.cc - `policyctl compile FILE -o BLOB --key policy.key [--device D]`.
#include <cstring>

#include "cli.h"
#include "compiler.h"
#include "policy_io.h"

namespace policyctl {
namespace {

const char kHelp[] =
    "usage: policyctl compile FILE -o BLOB --key POLICY.key\n"
    "                         [--device DEVICE.pub|DEVICE-ID] [--json]\n\n"
    "Compiles the JSON policy FILE into a binary policy blob signed with the\n"
    "Ed25519 policy key POLICY.key (see `policyctl keygen`). The blob is bound\n"
    "to one device: the policy's \"device\" member, or --device (the device's\n"
    "public key file, or its 32-hex-digit id as `policyctl challenge` prints\n"
    "it); a policy that may load on every board says \"device\": \"any\". If the\n"
    "policy names a device, --device must name the same one.\n"
    "BLOB is written atomically (temporary file + rename): on any error\n"
    "nothing is written and an existing BLOB is left as it was.\n\n"
    "options:\n"
    "  -o, --output BLOB   where to write the blob (required)\n"
    "  --key POLICY.key    policy private key (required)\n"
    "  --device D          target device: DEVICE.pub or a 32-hex-digit id\n"
    "  --json              print {blob, bytes, name, policy_version, rules, device}\n\n"
    "exit: 0 written, 1 I/O or key error, 2 invalid policy (or no device)\n";

// DEVICE.pub or 32 hex digits.
policyc::DeviceId device_arg(const std::string& v) {
  policyc::DeviceId id;
  if (policyc::parse_device_id(v, &id)) return id;
  if (!file_exists(v)) {
    throw UsageError("--device: '" + v + "' is neither a device id (32 hex digits) nor a file");
  }
  policyc::PublicKey pub;
  std::string err;
  if (!policyc::read_public_key(v, &pub, &err)) throw CliError(kExitError, err);
  return policyc::device_id_of(pub);
}

int run(const std::vector<std::string>& argv, Context& ctx) {
  Args args(argv,
            {{"-o", true}, {"--output", true}, {"--key", true}, {"--device", true},
             {"--json", false}},
            1, 1);
  if (args.help()) {
    ctx.out << kHelp;
    return kExitOk;
  }
  auto out_path = args.output();
  if (!out_path) throw UsageError("option '-o' is required");
  const std::string key_path = args.require("--key");
  policyc::KeyPair key;
  std::string err;
  if (!policyc::read_private_key(key_path, &key, &err)) {
    throw CliError(kExitError, "cannot read key '" + key_path + "': " + err);
  }
  policyc::CompileOptions opts;
  opts.key = &key;
  if (auto d = args.value("--device")) opts.device = device_arg(*d);
  policyc::CompileResult r = compile_file(args.pos()[0], opts, ctx);
  if (r.blob.empty()) throw CliError(kExitError, "compiler produced no blob");
  write_file_atomic(*out_path, r.blob.data(), r.blob.size());
  const std::string device =
      r.any_device ? "any" : to_hex(r.device_id.data(), r.device_id.size());
  if (args.has("--json")) {
    ctx.out << dump(Json{{"blob", *out_path},
                         {"bytes", r.blob.size()},
                         {"name", r.name},
                         {"policy_version", r.policy_version},
                         {"rules", r.rules.size()},
                         {"device", device}})
            << "\n";
  } else {
    ctx.out << "wrote " << *out_path << ": " << r.blob.size() << " bytes, policy \""
            << r.name << "\" version " << r.policy_version << ", " << r.rules.size()
            << " rules, device " << device << "\n";
  }
  return kExitOk;
}

}  // namespace

const Command kCompileCommand = {"compile", "compile a JSON policy into a signed blob",
                                 kHelp, run};

}  // namespace policyctl
