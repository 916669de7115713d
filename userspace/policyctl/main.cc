// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// main.cc - policyctl entry point; everything else is in cli.cc and cmd_*.cc.
#include <iostream>
#include <string>
#include <vector>

#include "cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  policyctl::Context ctx{std::cout, std::cerr};
  try {
    return policyctl::run_cli(args, ctx);
  } catch (const std::exception& e) {
    // run_cli maps expected failures; this is the last line of defence.
    std::cerr << "policyctl: internal error: " << e.what() << "\n";
    return policyctl::kExitError;
  }
}
