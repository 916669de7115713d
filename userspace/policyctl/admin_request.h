// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// admin_request.h - the one place that turns an administrative command line
// into the request struct the secure world receives. `policyctl authorize`
// (host) digests and signs exactly these bytes; the guest commands (mode,
// attr, end-usage, audit-config) send exactly these bytes. Commands:
//   mode enforce|permissive
//   attr NAME set|add|insert|clear [VALUE] [--subject-key K]
//        (or --op OP --value V, as `policyctl attr` always took them)
//   end-usage ID
//   audit-config overflow drop-oldest|fail-closed
//   audit-config reset-counters
#ifndef POLICYCTL_ADMIN_REQUEST_H
#define POLICYCTL_ADMIN_REQUEST_H

#include <string>
#include <vector>

#include "admin_auth.h"
#include "cli.h"
#include "tee_client.h"

namespace policyctl {

// Options the builders read; commands that build admin requests accept them.
constexpr OptionSpec kAttrOptions[] = {
    {"--op", true}, {"--value", true}, {"--subject-key", true}, {"--exe", true}};

// Subject key of a per-executable attribute for the file at `path`, as the
// engine derives it from an event (ucon::exe_key over the dev, inode and
// generation the kernel reports: kernel/tz_hooks/event.c). Throws CliError.
std::uint64_t exe_subject_key(const std::string& path);

// `command` is "mode", "attr", "end-usage" or "audit-config"; operands are
// its positional arguments. Throws UsageError. The auth is zero.
AdminRequest build_admin_request(const std::string& command,
                                 const std::vector<std::string>& operands,
                                 const Args& args);

// Guest side. With --token FILE: the token must authorize this command
// with these arguments (checked here, before anything is sent). With --key
// ADMIN.key (a lab board that keeps the key): fetches a challenge and signs.
// With neither the auth stays zero and the secure world refuses the request
// (TZU_E_AUTH_REQUIRED), which is what the user then sees.
constexpr OptionSpec kTokenOption{"--token", true};
constexpr OptionSpec kAdminKeyOption{"--key", true};
void authorize_request(AdminRequest* req, const Args& args, Transport& t);

// TZU_CMD_GET_CHALLENGE. Throws TransportError / SecureError.
Challenge fetch_challenge(Transport& t);

// Sends req and returns the checked response (>= min_rsp bytes, OK status).
// A refusal becomes SecureError whose message names the status and, for a
// missing authorization, how to provide one.
std::vector<std::uint8_t> send_admin(Transport& t, const AdminRequest& req,
                                     std::size_t min_rsp);

// The whole guest side of an administrative command: build the request,
// connect (--device), authorize, send. Returns the checked response.
std::vector<std::uint8_t> run_admin(const std::string& command,
                                    const std::vector<std::string>& operands,
                                    const Args& args, Context& ctx, std::size_t min_rsp);

// Help text shared by the guest administrative commands.
extern const char kAdminAuthHelp[];

}  // namespace policyctl

#endif  // POLICYCTL_ADMIN_REQUEST_H
