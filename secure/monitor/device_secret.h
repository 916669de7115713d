// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// device_secret.h - the per-device secret the secure world derives its
// storage key from (bare metal only).
#ifndef TZUCON_MONITOR_DEVICE_SECRET_H
#define TZUCON_MONITOR_DEVICE_SECRET_H

#include <stdint.h>

namespace monitor {

// Generated into the image by the build (never committed, never printed).
// Keys are derived from it, never stored: a storage MAC key learnt from a
// dump of the flash tells nothing about the other keys (state_record.h).
extern const uint8_t kDeviceSecret[32];

}  // namespace monitor

#endif  // TZUCON_MONITOR_DEVICE_SECRET_H
