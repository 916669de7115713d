// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// trace_reader.h - reads the JSON-lines traces that `policyctl test` replays.
//
// Trace format: one JSON object per line; blank lines are skipped (so are
// the lines of an expectation file, which pair with trace lines in order).
//
// An event (decided by the engine):
//   {"hook":"file_mprotect","seq":1,
//    "subject":{"pid":..,"tgid":..,"uid":..,"euid":..,"gid":..,"egid":..,
//               "exe_dev":..,"exe_ino":..,"exe_sha256":"<64 hex>",
//               "comm":"jit"},
//    "object":{"addr":..,"len":..,"prot":..,"old_prot":..,"flags":..,
//              "kind":..,"id":..,"dev":..,"ino":..,"mode":..,
//              "sha256":"<64 hex>","type":"..","name":".."}}
//   "hook" is a hook name from secure/ucon_engine/fields.cc; every other key
//   is optional (missing = 0 / empty). Optional top-level "flags" (TZU_EVF_*)
//   and "cpu" set the event fields of the same name; a digest given sets its
//   TZU_EVF_*_DIGEST flag. Integers must fit their wire field; strings must be
//   shorter than their array (comm 16, type 32, name 64 bytes).
//
// A command (changes engine state between events):
//   {"op":"update_attr","name":"integrity_state","key":0,"value":2,
//    "attr_op":"set"}                  attr_op: set|add|insert|clear
//   {"op":"end_usage","session":N}
//   {"op":"set_mode","mode":"permissive"}    mode: enforce|permissive
//
// Unknown keys, wrong types and out-of-range values are errors that name the
// file and line; nothing is replayed from a trace with an error.
#ifndef POLICYCTL_TRACE_READER_H
#define POLICYCTL_TRACE_READER_H

#include <cstddef>
#include <istream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "event_json.h"
#include "tzucon_abi.h"

namespace policyctl {

struct TraceStep {
  std::size_t line = 0;  // 1-based line in the trace file
  bool is_command = false;
  tzu_event event{};       // when !is_command
  TraceCommand command;    // when is_command
};

// A trace error: "FILE:LINE: message".
class TraceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses one non-blank line. Throws JsonError.
TraceStep parse_trace_line(std::string_view text);

// Reads a whole trace. Throws TraceError naming `file` and the line.
std::vector<TraceStep> read_trace(std::istream& in, const std::string& file);

// Reads a file of JSON objects, one per non-blank line, with their line
// numbers (expectation files). Throws TraceError.
struct JsonLine {
  std::size_t line = 0;
  Json value;
};
std::vector<JsonLine> read_json_lines(std::istream& in, const std::string& file);

}  // namespace policyctl

#endif  // POLICYCTL_TRACE_READER_H
