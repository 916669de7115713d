// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// status.h - engine error codes: return values, never exceptions. The values
// are the wire status codes of abi/tzucon_abi.h so they pass through as-is.
#ifndef UCON_ENGINE_STATUS_H
#define UCON_ENGINE_STATUS_H

#include <stdint.h>

#include "tzucon_abi.h"

namespace ucon {

enum class Status : uint32_t {
  kOk = TZU_OK,
  kBadMagic = TZU_E_BAD_MAGIC,
  kBadVersion = TZU_E_BAD_VERSION,
  kBadSize = TZU_E_BAD_SIZE,
  kBadCommand = TZU_E_BAD_COMMAND,
  kBadOffset = TZU_E_BAD_OFFSET,
  kBadField = TZU_E_BAD_FIELD,
  kAuth = TZU_E_AUTH,
  kRollback = TZU_E_ROLLBACK,
  kMalformed = TZU_E_MALFORMED,
  kNoPolicy = TZU_E_NO_POLICY,
  kLimit = TZU_E_LIMIT,
  kNotFound = TZU_E_NOT_FOUND,
  kBadSession = TZU_E_BAD_SESSION,
  kBusy = TZU_E_BUSY,
  kInternal = TZU_E_INTERNAL,
  kAuthRequired = TZU_E_AUTH_REQUIRED,
  kReplay = TZU_E_REPLAY,
  kWrongDevice = TZU_E_WRONG_DEVICE,
  kNotWritable = TZU_E_NOT_WRITABLE,
  kStorage = TZU_E_STORAGE,
};

// Lower-case, stable text for logs and CLI messages.
const char* status_name(Status s);

inline uint32_t to_wire(Status s) { return static_cast<uint32_t>(s); }

}  // namespace ucon

#endif  // UCON_ENGINE_STATUS_H
