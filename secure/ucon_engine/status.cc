// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// status.cc - stable lower-case names of the engine status codes.
#include "status.h"

namespace ucon {

const char* status_name(Status s) {
  // A switch without default: -Wswitch flags a Status added without a name.
  switch (s) {
    case Status::kOk:
      return "ok";
    case Status::kBadMagic:
      return "bad magic";
    case Status::kBadVersion:
      return "bad version";
    case Status::kBadSize:
      return "bad size";
    case Status::kBadCommand:
      return "bad command";
    case Status::kBadOffset:
      return "bad offset";
    case Status::kBadField:
      return "bad field";
    case Status::kAuth:
      return "signature invalid";
    case Status::kRollback:
      return "policy rollback (not newer than the accepted floor)";
    case Status::kMalformed:
      return "malformed policy blob";
    case Status::kNoPolicy:
      return "no policy loaded";
    case Status::kLimit:
      return "engine limit reached";
    case Status::kNotFound:
      return "not found";
    case Status::kBadSession:
      return "bad session";
    case Status::kBusy:
      return "busy";
    case Status::kInternal:
      return "internal error";
    case Status::kAuthRequired:
      return "admin authorization required";
    case Status::kReplay:
      return "authorization replayed or stale";
    case Status::kWrongDevice:
      return "signed for another device";
    case Status::kNotWritable:
      return "attribute not writable by an administrator";
    case Status::kStorage:
      return "persistent state unusable (fail closed)";
  }
  // Values from the wire that match no enumerator.
  return "unknown status";
}

}  // namespace ucon
