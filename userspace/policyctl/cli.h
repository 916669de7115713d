// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cli.h - what every policyctl subcommand shares: exit codes, the argument
// parser, the command table, error types mapped to exit codes in one place
// (run_cli), and file helpers. Each subcommand lives in its own cmd_*.cc.
#ifndef POLICYCTL_CLI_H
#define POLICYCTL_CLI_H

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tee_client.h"

namespace policyctl {

// Documented in `policyctl --help`; stable for scripts.
enum Exit : int {
  kExitOk = 0,           // success
  kExitError = 1,        // I/O error, bad usage, bad trace, secure-world error
  kExitInvalid = 2,      // invalid policy (or blob rejected as invalid)
  kExitMismatch = 3,     // expectation mismatch, broken audit chain, invalid report
  kExitUnreachable = 4,  // guest commands: secure world unreachable
};

// Bad command line: exit 1 with a pointer to --help.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A failure with its own exit code; the message is already user-facing.
class CliError : public std::runtime_error {
 public:
  CliError(int code, const std::string& what)
      : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

using Connector = std::function<std::unique_ptr<Transport>(const std::string&)>;

struct Context {
  std::ostream& out;
  std::ostream& err;
  // Guest commands reach the secure world through this; tests swap it.
  Connector connect = open_tee;
};

struct OptionSpec {
  const char* name;  // "--key"
  bool takes_value;
};

// Parsed arguments of one subcommand. Accepts "--opt value" and
// "--opt=value"; "--" ends options. --help/-h is always known.
class Args {
 public:
  // Throws UsageError on an unknown option, a missing value, or a
  // positional count outside [min_pos, max_pos] (unless --help).
  Args(const std::vector<std::string>& argv, std::initializer_list<OptionSpec> opts,
       std::size_t min_pos, std::size_t max_pos);

  bool help() const { return help_; }
  bool has(const std::string& name) const { return values_.count(name) != 0; }
  std::optional<std::string> value(const std::string& name) const;
  // Value of a required option; throws UsageError if absent.
  std::string require(const std::string& name) const;
  // The output file: "-o FILE" or "--output FILE" (either spelling).
  std::optional<std::string> output() const;
  const std::vector<std::string>& pos() const { return pos_; }

 private:
  bool help_ = false;
  std::map<std::string, std::string> values_;
  std::vector<std::string> pos_;
};

struct Command {
  const char* name;
  const char* summary;  // one line in `policyctl --help`
  const char* help;     // full `policyctl NAME --help` text
  int (*run)(const std::vector<std::string>& argv, Context& ctx);
};

// Every subcommand (defined in cmd_*.cc).
extern const Command kValidateCommand;
extern const Command kKeygenCommand;
extern const Command kCompileCommand;
extern const Command kTestCommand;
extern const Command kExplainCommand;
extern const Command kAnalyzeCommand;
extern const Command kLoadCommand;
extern const Command kStatusCommand;
extern const Command kModeCommand;
extern const Command kStatsCommand;
extern const Command kAuditCommand;
extern const Command kAttrCommand;
extern const Command kEndUsageCommand;
extern const Command kAuditConfigCommand;
extern const Command kChallengeCommand;
extern const Command kReportCommand;
extern const Command kAuthorizeCommand;
extern const Command kVerifyReportCommand;
extern const Command kIntegrityCommand;

// argv without the program name. Maps every exception to its exit code.
int run_cli(const std::vector<std::string>& argv, Context& ctx);

// Whole file; throws CliError(kExitError) naming the path.
std::string read_file(const std::string& path);
// Writes via a temporary file in the same directory + fsync + rename, so
// `path` is either untouched or complete. Throws CliError(kExitError).
void write_file_atomic(const std::string& path, const void* data, std::size_t len,
                       unsigned mode = 0644);
bool file_exists(const std::string& path);

// Parses an unsigned/signed decimal or 0x-hex integer; throws UsageError
// naming `what`.
std::uint64_t parse_u64(const std::string& s, const std::string& what);
std::int64_t parse_i64(const std::string& s, const std::string& what);

// Guest commands: the --device option and the connection it names
// (default /dev/tee0, or $POLICYCTL_TEE_DEVICE).
constexpr OptionSpec kDeviceOption{"--device", true};
std::unique_ptr<Transport> connect(const Args& args, Context& ctx);

}  // namespace policyctl

#endif  // POLICYCTL_CLI_H
