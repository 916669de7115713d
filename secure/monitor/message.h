// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// message.h - decoding of SMC function ids (Arm SMCCC) and validation of
// request messages copied from the shared window. Plain C++, host-testable.
#ifndef TZUCON_MONITOR_MESSAGE_H
#define TZUCON_MONITOR_MESSAGE_H

#include <stdint.h>

#include "status.h"
#include "tzucon_abi.h"

namespace monitor {

// SMCCC function id fields (SMC Calling Convention, DEN0028).
struct FunctionId {
  bool fast;      // bit 31: 1 = fast call, 0 = yielding call
  bool smc64;     // bit 30
  uint32_t oen;   // bits 29:24, owning entity number
  uint32_t mbz;   // bits 23:16, must be zero
  uint32_t func;  // bits 15:0

  static FunctionId decode(uint32_t fid) {
    return FunctionId{(fid >> 31) != 0, ((fid >> 30) & 1) != 0,
                      (fid >> 24) & 0x3F, (fid >> 16) & 0xFF, fid & 0xFFFF};
  }
};

constexpr uint32_t kOenTrustedOs = (TZU_SMC_FAST_BASE >> 24) & 0x3F;  // 50
constexpr uint32_t kOenTrustedOsQueries = 63;
// Calls this Trusted OS implements: the DECIDE fast call plus one yielding
// call per other command (the general queries are not counted).
constexpr uint32_t kCallCount = TZU_CMD_COUNT - 1;

// Exact request size of a command; LOAD_POLICY gives its fixed part (the
// blob follows). 0 for an id that is not a yielding command.
uint32_t request_size(uint32_t cmd);
// Response size of a command; READ_AUDIT and the integrity status replies
// give their fixed part (records / regions follow). 0 for an id that is not a yielding command.
uint32_t response_size(uint32_t cmd);

// Checks the header of a request of `len` bytes that arrived through the
// yielding call of command `cmd`, in this order: size for a header, magic,
// ABI version, command, declared size, status (0 in requests).
ucon::Status check_request_header(const tzu_hdr& h, uint32_t cmd,
                                  uint32_t len);

// Header of a response or an error reply.
tzu_hdr make_header(uint32_t cmd, uint32_t size, ucon::Status status);

// A C string inside a fixed array: length before the first NUL, or -1 if
// the array holds no NUL (the ABI rejects such strings).
int32_t bounded_strlen(const char* s, uint32_t cap);

}  // namespace monitor

#endif  // TZUCON_MONITOR_MESSAGE_H
