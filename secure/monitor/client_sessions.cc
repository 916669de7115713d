// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// client_sessions.cc - the normal-world client table.
#include "client_sessions.h"

namespace monitor {

using ucon::Status;

Status ClientSessions::open(uint32_t kind, uint32_t* id) {
  *id = 0;
  if (kind != TZU_CLIENT_KERNEL && kind != TZU_CLIENT_USER)
    return Status::kBadField;
  if (kind == TZU_CLIENT_USER && live(TZU_CLIENT_USER) >= kMax - kKernelReserve)
    return Status::kLimit;
  Entry* slot = nullptr;
  for (Entry& e : entries_) {
    if (e.id == 0) {
      slot = &e;
      break;
    }
  }
  if (!slot) return Status::kLimit;
  uint32_t candidate = next_id_;
  // Skip 0 and ids still in use (only possible after 2^32 opens).
  while (candidate == 0 || valid(candidate)) ++candidate;
  next_id_ = candidate + 1;
  slot->id = candidate;
  slot->kind = kind;
  *id = candidate;
  return Status::kOk;
}

Status ClientSessions::close(uint32_t id) {
  if (id == 0) return Status::kBadSession;
  for (Entry& e : entries_) {
    if (e.id == id) {
      e = Entry{};
      return Status::kOk;
    }
  }
  return Status::kBadSession;
}

bool ClientSessions::valid(uint32_t id) const {
  if (id == 0) return false;
  for (const Entry& e : entries_)
    if (e.id == id) return true;
  return false;
}

uint32_t ClientSessions::kind(uint32_t id) const {
  if (id == 0) return 0;
  for (const Entry& e : entries_)
    if (e.id == id) return e.kind;
  return 0;
}

uint32_t ClientSessions::live(uint32_t kind) const {
  uint32_t n = 0;
  for (const Entry& e : entries_) n += e.id != 0 && e.kind == kind;
  return n;
}

uint32_t ClientSessions::live() const {
  uint32_t n = 0;
  for (const Entry& e : entries_) n += e.id != 0;
  return n;
}

}  // namespace monitor
