// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// event_json.h - JSON <-> wire codec for policyctl: trace events and commands
// in, decisions and audit records out. The JSON shapes are documented in
// trace_reader.h (input) and in `policyctl test --help` (output).
#ifndef POLICYCTL_EVENT_JSON_H
#define POLICYCTL_EVENT_JSON_H

#include <cstddef>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tzucon_abi.h"

namespace policyctl {

// Insertion-ordered so output lines read in a stable, documented order.
using Json = nlohmann::ordered_json;

// Bad trace/event input. The message names the offending key; callers add
// the file and line.
class JsonError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A trace line that is not an event: a command to the engine.
struct TraceCommand {
  enum class Op { kUpdateAttr, kEndUsage, kSetMode };
  Op op = Op::kUpdateAttr;
  std::string name;       // update_attr: attribute name
  std::uint64_t key = 0;  // update_attr: subject/object key
  std::int64_t value = 0;
  std::uint32_t attr_op = TZU_ATTR_OP_SET;
  std::uint32_t session = 0;  // end_usage
  std::uint32_t mode = TZU_MODE_ENFORCE;  // set_mode
};

// True if the object is a command ("op" key), false if an event ("hook").
// Throws JsonError if it is neither or not an object.
bool is_command(const Json& j);

// Event object -> wire event (header filled in, digest flags set when a
// digest is given). Throws JsonError on unknown keys, wrong types, values
// out of the field's range and strings too long for their array.
tzu_event event_from_json(const Json& j);
// Wire event -> JSON with only the non-zero fields (inverse of the above).
Json event_to_json(const tzu_event& ev);

TraceCommand command_from_json(const Json& j);
Json command_to_json(const TraceCommand& c);

// rule id -> rule name, from policyc::CompileResult::rules.
using RuleNames = std::map<std::uint32_t, std::string>;

// The decision line of `policyctl test` (without "audit"; the caller adds it
// when a record was appended). The decision does not carry the hook, so the
// caller passes the event's.
Json decision_to_json(const tzu_decision& d, std::uint32_t hook,
                      const RuleNames& names);
// Decision records (hook < TZU_AUDIT_KIND_BASE) get hook_name, verdict_name,
// flags_text and obligations_text; secure-world records (TZU_AUDIT_*) get
// kind ("boot", "mode", "auth_refused", ...), status and flags_text (TZU_SF_*).
Json audit_record_to_json(const tzu_audit_record& r);
Json secure_record_to_json(const tzu_audit_record& r);
const char* audit_kind_name(std::uint32_t hook);  // nullptr if not a kind

std::vector<std::string> decision_flag_names(std::uint32_t flags);
std::vector<std::string> obligation_names(std::uint32_t obligations);
// Hook names of the bits set in an interest mask.
std::vector<std::string> hook_mask_names(std::uint32_t mask);
const char* attr_op_name(std::uint32_t op);       // nullptr if unknown
std::uint32_t attr_op_by_name(const std::string& s);  // 0 if unknown
const char* mode_name(std::uint32_t mode);        // nullptr if unknown

// One-line dump that never throws on invalid UTF-8 (replaced by U+FFFD):
// event strings are raw kernel bytes.
std::string dump(const Json& j);

std::string to_hex(const std::uint8_t* data, std::size_t len);
// Exactly 2*len hex digits; false otherwise.
bool from_hex(const std::string& hex, std::uint8_t* out, std::size_t len);

}  // namespace policyctl

#endif  // POLICYCTL_EVENT_JSON_H
