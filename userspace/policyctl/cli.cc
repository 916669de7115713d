// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cli.cc - argument parsing, the command table and exit-code mapping.
#include "cli.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "trace_reader.h"

namespace policyctl {
namespace {

// Host commands first, then guest commands (the board, via /dev/tee0).
const Command* const kCommands[] = {
    &kValidateCommand,  &kKeygenCommand,    &kCompileCommand,  &kTestCommand,
    &kExplainCommand,   &kAnalyzeCommand,   &kAuthorizeCommand, &kVerifyReportCommand,
    &kLoadCommand,      &kStatusCommand,    &kStatsCommand,    &kAuditCommand,
    &kChallengeCommand, &kReportCommand,    &kIntegrityCommand, &kModeCommand,
    &kAttrCommand,      &kEndUsageCommand,  &kAuditConfigCommand,
};

void print_main_help(std::ostream& out) {
  out << "usage: policyctl COMMAND [ARGS...]\n"
         "       policyctl COMMAND --help\n\n"
         "Manage tzucon usage-control policies: write and check them on any\n"
         "host, load and watch them in the secure world on the board.\n\n"
         "commands:\n";
  for (const Command* c : kCommands) {
    std::string name = c->name;
    out << "  " << name << std::string(name.size() < 14 ? 14 - name.size() : 1, ' ')
        << c->summary << "\n";
  }
  out << "\nexit codes:\n"
         "  0  ok\n"
         "  1  error: I/O, usage, malformed trace, error status from the secure world\n"
         "  2  invalid policy (validate/compile/test/explain/analyze; load: blob\n"
         "     rejected), invalid attack model (analyze)\n"
         "  3  expectation mismatch (test --expect), broken audit chain (audit --verify),\n"
         "     report that does not verify (verify-report, report --device-pub)\n"
         "  4  secure world unreachable (guest commands: load, status, stats, audit,\n"
         "     challenge, report, integrity, mode, attr, end-usage, audit-config)\n\n"
         "mode, attr, end-usage and audit-config are administrative: they need an\n"
         "authorization signed with the admin key (--token from `policyctl\n"
         "authorize`, or --key on a lab board); see `policyctl authorize --help`.\n";
}

std::string errno_text(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

}  // namespace

Args::Args(const std::vector<std::string>& argv,
           std::initializer_list<OptionSpec> opts, std::size_t min_pos,
           std::size_t max_pos) {
  bool options_done = false;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    // "-5" is a (negative number) argument, not an option.
    bool negative_number = a.size() >= 2 && a[0] == '-' && a[1] >= '0' && a[1] <= '9';
    if (options_done || a.size() < 2 || a[0] != '-' || negative_number) {
      pos_.push_back(a);
      continue;
    }
    if (a == "--") {
      options_done = true;
      continue;
    }
    if (a == "--help" || a == "-h") {
      help_ = true;
      continue;
    }
    std::string name = a;
    std::optional<std::string> inline_value;
    auto eq = a.find('=');
    if (eq != std::string::npos) {
      name = a.substr(0, eq);
      inline_value = a.substr(eq + 1);
    }
    const OptionSpec* spec = nullptr;
    for (const OptionSpec& o : opts) {
      if (name == o.name) spec = &o;
    }
    if (!spec) throw UsageError("unknown option '" + name + "'");
    if (!spec->takes_value) {
      if (inline_value) throw UsageError("option '" + name + "' takes no value");
      values_[name] = "";
    } else if (inline_value) {
      values_[name] = *inline_value;
    } else if (i + 1 < argv.size()) {
      values_[name] = argv[++i];
    } else {
      throw UsageError("option '" + name + "' needs a value");
    }
  }
  if (help_) return;
  if (pos_.size() < min_pos) throw UsageError("missing argument");
  if (pos_.size() > max_pos) throw UsageError("unexpected argument '" + pos_[max_pos] + "'");
}

std::optional<std::string> Args::value(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Args::require(const std::string& name) const {
  auto v = value(name);
  if (!v) throw UsageError("option '" + name + "' is required");
  return *v;
}

std::optional<std::string> Args::output() const {
  auto v = value("-o");
  return v ? v : value("--output");
}

int run_cli(const std::vector<std::string>& argv, Context& ctx) {
  if (argv.empty()) {
    print_main_help(ctx.err);
    return kExitError;
  }
  const std::string& name = argv[0];
  if (name == "--help" || name == "-h" || name == "help") {
    print_main_help(ctx.out);
    return kExitOk;
  }
  const Command* cmd = nullptr;
  for (const Command* c : kCommands) {
    if (name == c->name) cmd = c;
  }
  if (!cmd) {
    ctx.err << "policyctl: error: unknown command '" << name
            << "'\nTry 'policyctl --help'.\n";
    return kExitError;
  }
  const std::string prefix = std::string("policyctl ") + cmd->name + ": ";
  std::vector<std::string> rest(argv.begin() + 1, argv.end());
  try {
    return cmd->run(rest, ctx);
  } catch (const UsageError& e) {
    ctx.err << prefix << "error: " << e.what() << "\nTry 'policyctl " << cmd->name
            << " --help'.\n";
    return kExitError;
  } catch (const CliError& e) {
    ctx.err << prefix << "error: " << e.what() << "\n";
    return e.code();
  } catch (const TraceError& e) {
    ctx.err << prefix << "error: " << e.what() << "\n";
    return kExitError;
  } catch (const TransportError& e) {
    ctx.err << prefix << "error: secure world unreachable: " << e.what() << "\n";
    return kExitUnreachable;
  } catch (const SecureError& e) {
    ctx.err << prefix << "error: " << e.what() << "\n";
    return kExitError;
  } catch (const std::exception& e) {
    ctx.err << prefix << "error: " << e.what() << "\n";
    return kExitError;
  }
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CliError(kExitError, errno_text("cannot open '" + path + "'"));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw CliError(kExitError, "cannot read '" + path + "'");
  return ss.str();
}

bool file_exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

void write_file_atomic(const std::string& path, const void* data, std::size_t len,
                       unsigned mode) {
  // Same directory as the target so rename() cannot cross file systems.
  std::string tmp = path + ".tmp.XXXXXX";
  int fd = mkstemp(tmp.data());
  if (fd < 0) throw CliError(kExitError, errno_text("cannot create a temporary file next to '" + path + "'"));
  auto fail = [&](const std::string& what) {
    std::string msg = errno_text(what);
    close(fd);
    unlink(tmp.c_str());
    throw CliError(kExitError, msg);
  };
  if (fchmod(fd, static_cast<mode_t>(mode)) != 0) fail("cannot set mode of '" + tmp + "'");
  const auto* p = static_cast<const std::uint8_t*>(data);
  std::size_t done = 0;
  while (done < len) {
    ssize_t n = write(fd, p + done, len - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("cannot write '" + tmp + "'");
    done += static_cast<std::size_t>(n);
  }
  if (fsync(fd) != 0) fail("cannot sync '" + tmp + "'");
  if (close(fd) != 0) {
    std::string msg = errno_text("cannot close '" + tmp + "'");
    unlink(tmp.c_str());
    throw CliError(kExitError, msg);
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    std::string msg = errno_text("cannot rename onto '" + path + "'");
    unlink(tmp.c_str());
    throw CliError(kExitError, msg);
  }
}

std::uint64_t parse_u64(const std::string& s, const std::string& what) {
  if (s.empty() || s[0] == '-' || s[0] == '+' || s[0] == ' ') {
    throw UsageError(what + ": expected a non-negative integer, got '" + s + "'");
  }
  errno = 0;
  char* end = nullptr;
  unsigned long long v = std::strtoull(s.c_str(), &end, 0);
  if (errno || *end != '\0') {
    throw UsageError(what + ": expected a non-negative integer, got '" + s + "'");
  }
  return v;
}

std::int64_t parse_i64(const std::string& s, const std::string& what) {
  if (s.empty() || s[0] == ' ') throw UsageError(what + ": expected an integer, got '" + s + "'");
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 0);
  if (errno || *end != '\0') {
    throw UsageError(what + ": expected an integer, got '" + s + "'");
  }
  return v;
}

std::unique_ptr<Transport> connect(const Args& args, Context& ctx) {
  std::string device = "/dev/tee0";
  if (const char* env = std::getenv("POLICYCTL_TEE_DEVICE"); env && *env) device = env;
  if (auto v = args.value("--device")) device = *v;
  return ctx.connect(device);
}

}  // namespace policyctl
