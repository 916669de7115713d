// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// report_view.h - the signed statement of a board (struct tzu_report, from
// GET_REPORT): checks it the way an operator off the device must, and
// renders it. A report file is the raw sizeof(tzu_report) bytes.
//
//   signature = Ed25519(device key, bytes [sizeof(tzu_hdr), offsetof(signature)))
#ifndef POLICYCTL_REPORT_VIEW_H
#define POLICYCTL_REPORT_VIEW_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "event_json.h"
#include "tzucon_abi.h"

namespace policyctl {

// nullopt with *err if bytes are not exactly one tzu_report.
std::optional<tzu_report> report_from_bytes(const std::vector<std::uint8_t>& bytes,
                                            std::string* err);

// Empty if the report is valid for this device key (and nonce, if given);
// else the first reason it is not, lower-case.
std::string report_problem(const tzu_report& r, const std::uint8_t device_pub[32],
                           const std::uint8_t* expected_nonce /* 32 bytes or null */);

Json report_to_json(const tzu_report& r);
void print_report(std::ostream& out, const tzu_report& r);

// Names for the report's and the stats' state fields.
const char* storage_state_name(std::uint32_t s);
std::vector<std::string> secure_flag_names(std::uint32_t flags);  // TZU_SF_*

}  // namespace policyctl

#endif  // POLICYCTL_REPORT_VIEW_H
