// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// trace_reader_test.cc - trace and expectation files: line numbers in errors.
#include "trace_reader.h"

#include <gtest/gtest.h>

#include <sstream>

namespace policyctl {
namespace {

std::string trace_error(const std::string& text) {
  std::istringstream in(text);
  try {
    read_trace(in, "t.jsonl");
  } catch (const TraceError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(TraceReader, EventsAndCommandsWithLineNumbers) {
  std::istringstream in(
      "{\"hook\":\"devmem_open\",\"seq\":1}\n"
      "\n"
      "   \n"
      "{\"op\":\"set_mode\",\"mode\":\"permissive\"}\n"
      "{\"hook\":\"bpf_prog_load\",\"seq\":2}\r\n");
  auto steps = read_trace(in, "t.jsonl");
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].line, 1u);
  EXPECT_FALSE(steps[0].is_command);
  EXPECT_EQ(steps[0].event.hook, TZU_HOOK_DEVMEM_OPEN);
  EXPECT_EQ(steps[1].line, 4u);
  EXPECT_TRUE(steps[1].is_command);
  EXPECT_EQ(steps[1].command.mode, TZU_MODE_PERMISSIVE);
  EXPECT_EQ(steps[2].line, 5u);
  EXPECT_EQ(steps[2].event.seq, 2u);
}

TEST(TraceReader, ErrorsNameFileAndLine) {
  EXPECT_EQ(trace_error("{\"hook\":\"devmem_open\"}\n{\"hook\":\"devmem_open\",\"x\":1}\n"),
            "t.jsonl:2: event: unknown key \"x\"");
  EXPECT_EQ(trace_error("\n\n{\"op\":\"set_mode\",\"mode\":\"x\"}\n"),
            "t.jsonl:3: mode: expected \"enforce\" or \"permissive\", got \"x\"");
  EXPECT_EQ(trace_error("[1,2]\n"), "t.jsonl:1: expected a JSON object");
  EXPECT_EQ(trace_error("{\"seq\":1}\n"),
            "t.jsonl:1: neither \"hook\" (event) nor \"op\" (command) given");
  std::string bad = trace_error("{\"hook\":\"devmem_open\"}\n{\"hook\": \n");
  EXPECT_EQ(bad.rfind("t.jsonl:2: invalid JSON at byte", 0), 0u) << bad;
}

TEST(TraceReader, JsonLines) {
  std::istringstream in("{\"a\":1}\n\n{\"b\":2}\n");
  auto lines = read_json_lines(in, "e.jsonl");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].line, 1u);
  EXPECT_EQ(lines[1].line, 3u);
  EXPECT_EQ(lines[1].value["b"], 2);
  std::istringstream bad("{\"a\":1}\n7\n");
  EXPECT_THROW(read_json_lines(bad, "e.jsonl"), TraceError);
}

}  // namespace
}  // namespace policyctl
