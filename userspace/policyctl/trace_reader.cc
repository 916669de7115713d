// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// trace_reader.cc - JSON-lines trace and expectation file reader.
#include "trace_reader.h"

#include <string>

namespace policyctl {
namespace {

bool blank(const std::string& s) {
  return s.find_first_not_of(" \t\r") == std::string::npos;
}

Json parse_object(std::string_view text) {
  Json j;
  try {
    j = Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    // e.what() repeats nlohmann's prefix; keep only the reason after ": ".
    std::string what = e.what();
    auto colon = what.find(": ");
    std::string reason =
        colon == std::string::npos ? what : what.substr(colon + 2);
    throw JsonError("invalid JSON at byte " + std::to_string(e.byte) + ": " +
                    reason);
  }
  if (!j.is_object()) throw JsonError("expected a JSON object");
  return j;
}

std::string where(const std::string& file, std::size_t line) {
  return file + ":" + std::to_string(line) + ": ";
}

}  // namespace

TraceStep parse_trace_line(std::string_view text) {
  Json j = parse_object(text);
  TraceStep step;
  step.is_command = is_command(j);
  if (step.is_command) {
    step.command = command_from_json(j);
  } else {
    step.event = event_from_json(j);
  }
  return step;
}

std::vector<TraceStep> read_trace(std::istream& in, const std::string& file) {
  std::vector<TraceStep> steps;
  std::string line;
  for (std::size_t n = 1; std::getline(in, line); ++n) {
    if (blank(line)) continue;
    try {
      TraceStep step = parse_trace_line(line);
      step.line = n;
      steps.push_back(std::move(step));
    } catch (const JsonError& e) {
      throw TraceError(where(file, n) + e.what());
    }
  }
  if (in.bad()) throw TraceError(file + ": read error");
  return steps;
}

std::vector<JsonLine> read_json_lines(std::istream& in, const std::string& file) {
  std::vector<JsonLine> out;
  std::string line;
  for (std::size_t n = 1; std::getline(in, line); ++n) {
    if (blank(line)) continue;
    try {
      out.push_back({n, parse_object(line)});
    } catch (const JsonError& e) {
      throw TraceError(where(file, n) + e.what());
    }
  }
  if (in.bad()) throw TraceError(file + ": read error");
  return out;
}

}  // namespace policyctl
