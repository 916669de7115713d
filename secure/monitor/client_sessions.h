// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// client_sessions.h - bounded table of normal-world clients (OPEN_SESSION /
// CLOSE_SESSION). Distinct from the engine's usage sessions.
#ifndef TZUCON_MONITOR_CLIENT_SESSIONS_H
#define TZUCON_MONITOR_CLIENT_SESSIONS_H

#include <stdint.h>

#include "status.h"

namespace monitor {

class ClientSessions {
 public:
  static constexpr uint32_t kMax = 16;
  // Entries only kernel clients may take: user-kind clients (whatever opens
  // them) can never starve the kernel's client. The driver opens no secure
  // sessions for /dev/tee0 users at all (they send session 0).
  static constexpr uint32_t kKernelReserve = 4;

  // kind: TZU_CLIENT_*. kLimit when full (for user clients: when the
  // non-reserved entries are used), kBadField for an unknown kind.
  ucon::Status open(uint32_t kind, uint32_t* id);
  ucon::Status close(uint32_t id);  // kBadSession if not open
  bool valid(uint32_t id) const;
  // TZU_CLIENT_* of an open session, 0 if `id` is not open.
  uint32_t kind(uint32_t id) const;
  uint32_t live() const;
  uint32_t live(uint32_t kind) const;

 private:
  struct Entry {
    uint32_t id = 0;  // 0 = free
    uint32_t kind = 0;
  };
  Entry entries_[kMax];
  // Ids are never reused while the counter has not wrapped, so a stale id
  // held by a closed client cannot alias a new client.
  uint32_t next_id_ = 1;
};

}  // namespace monitor

#endif  // TZUCON_MONITOR_CLIENT_SESSIONS_H
