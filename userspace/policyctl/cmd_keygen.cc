// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cmd_keygen.cc - `policyctl keygen -o NAME.key`: make an Ed25519 key pair.
#include "cli.h"
#include "compiler.h"
#include "event_json.h"

namespace policyctl {
namespace {

const char kHelp[] =
    "usage: policyctl keygen -o NAME.key [--json]\n\n"
    "Makes a new Ed25519 key pair (RFC 8032): the private key NAME.key\n"
    "(\"ed25519-private:\" + 64 hex digits + newline, created mode 0600 so it\n"
    "is never readable by others, not even for an instant) and the public key\n"
    "NAME.pub (\"ed25519-public:\" + 64 hex digits + newline). Neither file may\n"
    "exist already: a key is never overwritten (a lost policy or admin key\n"
    "locks the owner out of every board that trusts it; keep a copy offline).\n"
    "If NAME.key does not end in \".key\", the public key is NAME.key.pub.\n\n"
    "Uses: the policy key signs blobs (compile --key), the admin key signs\n"
    "authorizations (authorize --key); the secure image holds only their\n"
    "public halves.\n\n"
    "options:\n"
    "  -o, --output NAME.key  the private key file to create (required)\n"
    "  --json                 print {\"private_key\", \"public_key\", \"public\"}\n\n"
    "exit: 0 written, 1 error (a file exists, I/O)\n";

std::string public_path(const std::string& priv) {
  const std::string ext = ".key";
  if (priv.size() > ext.size() && priv.compare(priv.size() - ext.size(), ext.size(), ext) == 0) {
    return priv.substr(0, priv.size() - ext.size()) + ".pub";
  }
  return priv + ".pub";
}

int run(const std::vector<std::string>& argv, Context& ctx) {
  Args args(argv, {{"-o", true}, {"--output", true}, {"--json", false}}, 0, 1);
  if (args.help()) {
    ctx.out << kHelp;
    return kExitOk;
  }
  auto priv = args.output();
  if (!args.pos().empty()) {  // `keygen NAME.key` as before
    if (priv) throw UsageError("give the key file either with -o or as an argument");
    priv = args.pos()[0];
  }
  if (!priv) throw UsageError("option '-o' is required");
  const std::string pub = public_path(*priv);
  for (const std::string& p : {*priv, pub}) {
    if (file_exists(p)) throw CliError(kExitError, "'" + p + "' exists; keys are never overwritten");
  }
  policyc::KeyPair kp;
  std::string err;
  if (!policyc::generate_key_pair(&kp, &err)) throw CliError(kExitError, err);
  // O_EXCL inside: never replaces a file created meanwhile.
  if (!policyc::write_key_pair(*priv, pub, kp, &err)) throw CliError(kExitError, err);
  const std::string pub_hex = to_hex(kp.pub.data(), kp.pub.size());
  if (args.has("--json")) {
    ctx.out << dump(Json{{"private_key", *priv}, {"public_key", pub}, {"public", pub_hex}})
            << "\n";
  } else {
    ctx.out << "wrote private key " << *priv << " (mode 0600) and public key " << pub << "\n";
  }
  return kExitOk;
}

}  // namespace

const Command kKeygenCommand = {"keygen", "make an Ed25519 key pair (policy, admin or device key)",
                                kHelp, run};

}  // namespace policyctl
