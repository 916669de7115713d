// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// cmdline_test.cc - which kernel command lines weaken tz_hooks, tokenised
// the kernel's way (quotes, blanks, "--", NUL, the 1023-byte limit).
#include "cmdline.h"

#include <gtest/gtest.h>

#include <string>

namespace {

using monitor::check_cmdline;
using monitor::CmdlineWeakness;
using W = CmdlineWeakness;

// One helper for the suite: expect this verdict (and reason) for this line.
void expect(const std::string& line, W why, const char* reason = nullptr) {
  const monitor::CmdlineCheck c = check_cmdline(line.data(), line.size());
  EXPECT_EQ(c.why, why) << "line: " << line;
  EXPECT_EQ(c.weak, why != W::kNone) << "line: " << line;
  if (reason) {
    EXPECT_STREQ(c.reason, reason) << "line: " << line;
  }
  if (why == W::kNone) {
    EXPECT_STREQ(c.reason, "") << "line: " << line;
  }
}

TEST(Cmdline, E2eBootargsAreIntact) {
  // tests/e2e/run-e2e with E2E_BOOTARGS unset (hence the trailing blank).
  expect("console=ttyPS0,115200 rdinit=/init panic=-1 maxcpus=1 ", W::kNone);
  expect("", W::kNone);
  expect("   ", W::kNone);
}

TEST(Cmdline, InitAndRdinitDoNotWeaken) {
  expect("init=/bin/sh rdinit=/bin/sh", W::kNone);
}

TEST(Cmdline, LsmListMustNameTzHooks) {
  expect("console=ttyPS0 lsm=capability", W::kLsmWithoutTzHooks, "lsm=capability");
  expect("lsm=capability,tz_hooks", W::kNone);
  expect("lsm=tz_hooks", W::kNone);
  expect("lsm=", W::kLsmWithoutTzHooks, "lsm=");
  expect("lsm=capability,tz-hooks", W::kLsmWithoutTzHooks);  // names: strcmp
  expect("lsm=tz_hooksx", W::kLsmWithoutTzHooks);
  expect("lsm", W::kNone);  // no '=': not the lsm= setup, goes to init
}

TEST(Cmdline, SecurityNamingAnotherLsm) {
  expect("security=selinux", W::kSecurityOther, "security=selinux");
  expect("security=", W::kSecurityOther);
  expect("security=tz_hooks", W::kNone);
}

TEST(Cmdline, PermissiveOnlyWhenFalse) {
  expect("tz_hooks.permissive=1", W::kPermissive, "tz_hooks.permissive=1");
  for (const char* v : {"0", "n", "N"})
    expect(std::string("tz_hooks.permissive=") + v, W::kNone);
  // Stricter than kstrtobool ("off", "00" and "" are false or invalid
  // there): only the three spellings of false pass.
  for (const char* v : {"y", "Y", "on", "off", "", "00"})
    expect(std::string("tz_hooks.permissive=") + v, W::kPermissive);
  // A bool parameter without a value is set (param_set_bool).
  expect("quiet tz_hooks.permissive", W::kPermissive, "tz_hooks.permissive");
  // parameq: '-' and '_' are the same in parameter names.
  expect("tz-hooks.permissive=1", W::kPermissive);
  expect("tz_hooks-permissive=1", W::kNone);  // not the module's namespace
}

TEST(Cmdline, UnknownTzHooksParamsFailClosed) {
  expect("tz_hooks.enforce=0", W::kUnknownTzHooksParam, "tz_hooks.enforce=0");
  expect("tz_hooks.Permissive=0", W::kUnknownTzHooksParam);
  expect("tz_hooks.=1", W::kUnknownTzHooksParam);
}

TEST(Cmdline, InitcallBlacklistOfOurInitcalls) {
  expect("initcall_blacklist=foo_init,tzh_engine_init", W::kInitcallBlacklist);
  expect("initcall-blacklist=tzu_driver_init", W::kInitcallBlacklist);
  expect("console=ttyPS0 iomem=relaxed", W::kIomemRelaxed);
  expect("iomem=strict", W::kNone);
  expect("initcall_blacklist=foo_init", W::kNone);
}

TEST(Cmdline, ProcMemForceOverride) {
  expect("console=ttyPS0 proc_mem.force_override=always", W::kProcMemForce,
         "proc_mem.force_override=always");
  expect("proc-mem.force-override=always", W::kProcMemForce);  // parameq
  expect("proc_mem.force_override=sometimes", W::kProcMemForce);  // unknown: closed
  expect("proc_mem.force_override=ptrace", W::kNone);
  expect("proc_mem.force_override=never", W::kNone);
}

TEST(Cmdline, QuotesFollowNextArg) {
  expect("\"tz_hooks.permissive=1\"", W::kPermissive);
  expect("lsm=\"capability,tz_hooks\"", W::kNone);  // value quotes dropped
  expect("lsm=\"capability\"", W::kLsmWithoutTzHooks);
  // Inside a quoted value a blank does not split: no parameter there.
  expect("dyndbg=\"file x tz_hooks.permissive=1\"", W::kNone);
  expect("dyndbg=\"file x +p\" tz_hooks.permissive=1", W::kPermissive,
         "tz_hooks.permissive=1");
  // An unterminated quote swallows the rest of the line.
  expect("foo=\"a lsm=capability", W::kNone);
}

TEST(Cmdline, BlanksAreTheKernelsIsspace) {
  expect("quiet\ttz_hooks.permissive=1", W::kPermissive);
  expect("quiet\vtz_hooks.permissive=1", W::kPermissive);
  expect("quiet\xa0tz_hooks.permissive=1", W::kPermissive);  // Latin-1 NBSP
}

TEST(Cmdline, KernelStopsAtDashDashNulAndLimit) {
  expect("quiet -- tz_hooks.permissive=1", W::kNone);  // init's arguments
  expect("quiet --=x tz_hooks.permissive=1", W::kPermissive);
  expect(std::string("quiet\0tz_hooks.permissive=1", 27), W::kNone);
  const std::string fill(1023 - 1, 'x');
  expect(fill + " tz_hooks.permissive=1", W::kNone);  // past 1023 bytes
  // Cut at 1023 bytes, "lsm=capability,tz_hooks" loses "oks": weak.
  const std::string lsm = "lsm=capability,tz_hooks";
  expect(std::string(1023 - lsm.size() + 2, 'x') + " " + lsm,
         W::kLsmWithoutTzHooks);
}

TEST(Cmdline, EqualsAtTokenStartIsNotASeparator) {
  // next_arg only takes an '=' past the first byte: param "=lsm".
  expect("=lsm=capability", W::kNone);
}

TEST(Cmdline, ReasonIsFirstTokenTruncatedAndPrintable) {
  expect("lsm=capability tz_hooks.permissive=1", W::kLsmWithoutTzHooks,
         "lsm=capability");
  const std::string longv = "lsm=" + std::string(100, 'a');
  expect(longv, W::kLsmWithoutTzHooks, longv.substr(0, 48).c_str());
  expect("lsm=\x1b[31m", W::kLsmWithoutTzHooks, "lsm=?[31m");
}

}  // namespace
