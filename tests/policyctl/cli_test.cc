// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cli_test.cc - argument parsing and the exit-code mapping of run_cli.
#include "cli.h"

#include <gtest/gtest.h>

#include "test_files.h"

namespace policyctl {
namespace {

using policyctl_test::CliRun;
using policyctl_test::run_cli;

CliRun run(const std::vector<std::string>& argv) { return run_cli(argv); }

TEST(Args, OptionsAndPositionals) {
  Args a({"file", "--key", "k", "--json", "-o=out", "--", "--literal"},
         {{"--key", true}, {"--json", false}, {"-o", true}}, 0, 2);
  EXPECT_FALSE(a.help());
  EXPECT_EQ(a.value("--key"), "k");
  EXPECT_EQ(a.value("-o"), "out");
  EXPECT_TRUE(a.has("--json"));
  EXPECT_FALSE(a.has("--other"));
  ASSERT_EQ(a.pos().size(), 2u);
  EXPECT_EQ(a.pos()[0], "file");
  EXPECT_EQ(a.pos()[1], "--literal");
}

TEST(Args, NegativeNumbersAreArguments) {
  Args a({"name", "add", "-5"}, {}, 3, 3);
  EXPECT_EQ(a.pos()[2], "-5");
}

TEST(Args, Errors) {
  EXPECT_THROW(Args({"--nope"}, {}, 0, 0), UsageError);
  EXPECT_THROW(Args({"--key"}, {{"--key", true}}, 0, 0), UsageError);
  EXPECT_THROW(Args({"--json=1"}, {{"--json", false}}, 0, 0), UsageError);
  EXPECT_THROW(Args({}, {}, 1, 1), UsageError);
  EXPECT_THROW(Args({"a", "b"}, {}, 1, 1), UsageError);
  EXPECT_THROW(Args({}, {}, 0, 0).require("--key"), UsageError);
  // --help wins over missing arguments
  EXPECT_TRUE(Args({"--help"}, {}, 1, 1).help());
}

TEST(RunCli, MainHelpListsEveryCommandAndExitCodes) {
  CliRun r = run({"--help"});
  EXPECT_EQ(r.rc, kExitOk);
  for (const char* c : {"validate", "keygen", "compile", "test", "explain", "load", "status",
                        "mode", "stats", "audit", "attr"}) {
    EXPECT_NE(r.out.find(std::string("  ") + c + " "), std::string::npos) << c;
  }
  EXPECT_NE(r.out.find("4  secure world unreachable"), std::string::npos);
}

TEST(RunCli, EveryCommandHasHelp) {
  for (const char* c : {"validate", "keygen", "compile", "test", "explain", "load", "status",
                        "mode", "stats", "audit", "attr"}) {
    CliRun r = run({c, "--help"});
    EXPECT_EQ(r.rc, kExitOk) << c;
    EXPECT_EQ(r.out.rfind(std::string("usage: policyctl ") + c, 0), 0u) << c << ": " << r.out;
    EXPECT_NE(r.out.find("exit:"), std::string::npos) << c;
  }
}

TEST(RunCli, UsageErrorsExitOne) {
  CliRun r = run({});
  EXPECT_EQ(r.rc, kExitError);
  r = run({"frobnicate"});
  EXPECT_EQ(r.rc, kExitError);
  EXPECT_EQ(r.err, "policyctl: error: unknown command 'frobnicate'\nTry 'policyctl --help'.\n");
  r = run({"validate"});
  EXPECT_EQ(r.rc, kExitError);
  EXPECT_EQ(r.err, "policyctl validate: error: missing argument\n"
                   "Try 'policyctl validate --help'.\n");
  r = run({"mode", "lax"});
  EXPECT_EQ(r.rc, kExitError);
  EXPECT_NE(r.err.find("mode must be 'enforce' or 'permissive', not 'lax'"), std::string::npos);
  r = run({"attr", "x", "--op", "mul", "--value", "1"});
  EXPECT_EQ(r.rc, kExitError);
  r = run({"attr", "x", "--op", "set"});
  EXPECT_EQ(r.rc, kExitError);
  EXPECT_NE(r.err.find("attr: VALUE is required"), std::string::npos) << r.err;
  r = run({"audit", "--from", "-1"});
  EXPECT_EQ(r.rc, kExitError);
  r = run({"validate", "/nonexistent/policy.json"});
  EXPECT_EQ(r.rc, kExitError);
  EXPECT_NE(r.err.find("cannot open '/nonexistent/policy.json'"), std::string::npos);
}

TEST(RunCli, MissingDeviceIsUnreachable) {
  for (const char* c : {"status", "stats", "audit"}) {
    CliRun r = run({c, "--device", "/nonexistent/tee0"});
    EXPECT_EQ(r.rc, kExitUnreachable) << c;
    EXPECT_NE(r.err.find("secure world unreachable: cannot open /nonexistent/tee0"),
              std::string::npos)
        << r.err;
  }
}

TEST(RunCli, NotATeeDeviceIsUnreachable) {
  // /dev/null opens but does not answer TEE_IOC_VERSION.
  CliRun r = run({"status", "--device", "/dev/null"});
  EXPECT_EQ(r.rc, kExitUnreachable);
  EXPECT_NE(r.err.find("TEE_IOC_VERSION"), std::string::npos) << r.err;
}

TEST(ParseInt, DecimalHexAndErrors) {
  EXPECT_EQ(parse_u64("42", "x"), 42u);
  EXPECT_EQ(parse_u64("0x10", "x"), 16u);
  EXPECT_EQ(parse_i64("-7", "x"), -7);
  EXPECT_THROW(parse_u64("-1", "x"), UsageError);
  EXPECT_THROW(parse_u64("12abc", "x"), UsageError);
  EXPECT_THROW(parse_u64("", "x"), UsageError);
  EXPECT_THROW(parse_i64("99999999999999999999", "x"), UsageError);
}

}  // namespace
}  // namespace policyctl
