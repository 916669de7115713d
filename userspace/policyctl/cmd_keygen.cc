// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cmd_keygen.cc - `policyctl keygen KEYFILE`: make a device key for blob HMACs.
#include <unistd.h>

#include <cstdio>

#include "cli.h"
#include "compiler.h"
#include "event_json.h"

namespace policyctl {
namespace {

const char kHelp[] =
    "usage: policyctl keygen KEYFILE [--force] [--json]\n\n"
    "Writes a new random 32-byte device key (64 hex digits and a newline,\n"
    "mode 0600) to KEYFILE. The same key signs blobs (compile --key) and is\n"
    "held by the secure world to authenticate them.\n\n"
    "options:\n"
    "  --force  replace an existing KEYFILE (refused otherwise)\n"
    "  --json   print {\"key_file\": PATH} on success\n\n"
    "exit: 0 written, 1 error (KEYFILE exists, I/O)\n";

int run(const std::vector<std::string>& argv, Context& ctx) {
  Args args(argv, {{"--force", false}, {"--json", false}}, 1, 1);
  if (args.help()) {
    ctx.out << kHelp;
    return kExitOk;
  }
  const std::string& path = args.pos()[0];
  if (file_exists(path) && !args.has("--force")) {
    throw CliError(kExitError, "'" + path + "' exists; use --force to replace it");
  }
  policyc::Key key = policyc::make_key();
  if (key.size() != 32) throw CliError(kExitError, "cannot generate a key");
  std::string err;
  if (!args.has("--force")) {
    // O_EXCL inside write_key_file: never replaces a key created meanwhile.
    if (!policyc::write_key_file(path, key, &err)) {
      throw CliError(kExitError, "cannot write key: " + err);
    }
  } else {
    // Replace atomically, so the old key is never left half-overwritten.
    std::string tmp = path + ".tmp." + std::to_string(getpid());
    unlink(tmp.c_str());
    if (!policyc::write_key_file(tmp, key, &err)) {
      throw CliError(kExitError, "cannot write key: " + err);
    }
    if (rename(tmp.c_str(), path.c_str()) != 0) {
      unlink(tmp.c_str());
      throw CliError(kExitError, "cannot move key into '" + path + "'");
    }
  }
  if (args.has("--json")) {
    ctx.out << dump(Json{{"key_file", path}}) << "\n";
  } else {
    ctx.out << "wrote key to " << path << "\n";
  }
  return kExitOk;
}

}  // namespace

const Command kKeygenCommand = {"keygen", "make a device key file for signing blobs",
                                kHelp, run};

}  // namespace policyctl
