// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// tee_client.h - how policyctl's guest commands reach the secure world: a
// tiny byte-moving Transport (the real one is /dev/tee0 through the
// linux/tee.h ioctls) plus helpers that build requests from and check
// responses against the ABI structs of abi/tzucon_abi.h.
//
// Contract followed (abi/tzucon_abi.h, "TEE subsystem client interface"):
//   TEE_IOC_VERSION          impl_id must be TZU_TEE_IMPL_ID;
//   TEE_IOC_OPEN_SESSION     uuid TZU_TEE_UUID_BYTES, login PUBLIC, no params;
//   TEE_IOC_INVOKE           func = TZU_CMD_*, params[0] MEMREF_INPUT = the
//                            request, params[1] MEMREF_OUTPUT = the response
//                            buffer, each in its own TEE_IOC_SHM_ALLOC'd
//                            shared memory (mmap of the returned fd);
//                            ret != TEEC_SUCCESS is a transport error, the
//                            command's result is the response hdr.status;
//   TEE_IOC_CLOSE_SESSION    when the client goes away.
// The `session` field of every request is kRequestSession (0, "no client
// session", ABI v2): authority comes from signatures, never from a session,
// so policyctl works even when the secure session table is full. The TEE
// session opened above only carries the invocations through the driver.
#ifndef POLICYCTL_TEE_CLIENT_H
#define POLICYCTL_TEE_CLIENT_H

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "tzucon_abi.h"

namespace policyctl {

// The secure world cannot be reached or does not speak the ABI (exit 4).
class TransportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The secure world answered with a non-OK hdr.status.
class SecureError : public std::runtime_error {
 public:
  SecureError(std::uint32_t status, const std::string& what)
      : std::runtime_error(what), status_(status) {}
  std::uint32_t status() const { return status_; }

 private:
  std::uint32_t status_;
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Sends one request (starting with tzu_hdr) for command `cmd` and returns
  // the bytes the secure world wrote into a response buffer of `rsp_cap`
  // bytes. Throws TransportError.
  virtual std::vector<std::uint8_t> invoke(std::uint32_t cmd, const void* req,
                                           std::size_t req_len,
                                           std::size_t rsp_cap) = 0;
  // Value for the requests' `session` field.
  virtual std::uint32_t session() const = 0;
  // One line about the transport for `policyctl status`.
  virtual std::string describe() const = 0;
};

// Opens /dev/tee0 (or `device`), checks the implementation id and opens a
// session to the engine. Throws TransportError.
std::unique_ptr<Transport> open_tee(const std::string& device);

constexpr std::uint32_t kRequestSession = 0;

// A zeroed request with its header filled in (size = sizeof(T)).
template <typename T>
T make_request(std::uint32_t cmd) {
  T r;
  std::memset(&r, 0, sizeof(r));
  r.hdr.magic = TZU_MAGIC;
  r.hdr.version = TZU_ABI_VERSION;
  r.hdr.command = static_cast<std::uint16_t>(cmd);
  r.hdr.size = sizeof(T);
  return r;
}

// Checks a response's header: magic, version, echoed command, hdr.size
// within what was received and >= min_size when the status is OK. Throws
// TransportError for a malformed header, SecureError for a non-OK status.
// Returns hdr.size.
std::size_t check_response(const std::vector<std::uint8_t>& rsp,
                           std::uint32_t cmd, std::size_t min_size);

// check_response, then the fixed part of the response as T.
template <typename T>
T parse_response(const std::vector<std::uint8_t>& rsp, std::uint32_t cmd) {
  check_response(rsp, cmd, sizeof(T));
  T out;
  std::memcpy(&out, rsp.data(), sizeof(T));
  return out;
}

// Sends a fixed-size request struct.
template <typename Req>
std::vector<std::uint8_t> call(Transport& t, const Req& req, std::size_t rsp_cap) {
  return t.invoke(req.hdr.command, &req, sizeof(req), rsp_cap);
}

// Lower-case name of a TZU_E_* status ("signature invalid", ...).
std::string status_text(std::uint32_t status);
// The ABI's symbol for it ("TZU_E_AUTH_REQUIRED"), "TZU_E_?" if unknown.
const char* status_symbol(std::uint32_t status);

}  // namespace policyctl

#endif  // POLICYCTL_TEE_CLIENT_H
