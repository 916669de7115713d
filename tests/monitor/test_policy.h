// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// test_policy.h - what the monitor unit tests, the SMC fuzzer and the QEMU
// payload test share: the signed test policy (rule 7 denies FILE_MPROTECT
// for tgid 666 and is audited; everything else in its interest mask is
// permitted by default), the test keys, admin authorizations, and a whole
// secure world on the host (engine + authority + RAM state store +
// dispatcher) that can be rebooted over the same storage.
#ifndef TZUCON_TESTS_MONITOR_TEST_POLICY_H
#define TZUCON_TESTS_MONITOR_TEST_POLICY_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "authority.h"
#include "dispatcher.h"
#include "engine.h"
#include "kernel_integrity.h"
#include "state_store.h"

namespace monitor_test {

constexpr std::uint32_t kDenyRule = 7;
constexpr std::uint32_t kDenyTgid = 666;

// Test keys: the admin key's private seed and the device secret (the policy
// key is ucon_test::kTestKey).
extern const std::vector<std::uint8_t> kAdminSeed;
extern const std::vector<std::uint8_t> kDeviceSecret;
// Policy and admin public keys of the test seeds, device keys derived from
// kDeviceSecret as the image derives them.
monitor::DeviceKeys test_device_keys();

// The test policy at `version`, signed with the Ed25519 seed `key` and bound
// to `device_id` (16 bytes).
std::vector<std::uint8_t> test_policy(std::uint32_t version,
                                      const std::vector<std::uint8_t>& key,
                                      const std::vector<std::uint8_t>& device_id);

// Reads a policyctl private key file ("ed25519-private:" + 64 hex + "\n")
// and a device.id file (32 hex + "\n"). Throw on error.
std::vector<std::uint8_t> read_key_file(const std::string& path);
std::vector<std::uint8_t> read_device_id(const std::string& path);

// Fills the tzu_auth at req + auth_off of an [admin] request for `cmd`, as
// `policyctl authorize` does: args digest over [TZU_AUTH_ARGS_OFFSET,
// auth_off), signed with `seed`.
void sign_auth(std::uint8_t* req, std::uint32_t auth_off, std::uint32_t cmd,
               const std::uint8_t device_id[TZU_DEVICE_ID_LEN],
               const std::uint8_t nonce[TZU_NONCE_LEN], std::uint64_t counter,
               const std::vector<std::uint8_t>& seed = kAdminSeed);

// A secure world on the host, the window in a host buffer. The store
// outlives boots: boot() is a reboot (boot counter + 1, new nonce, floor
// and admin counter from storage, empty engine and client table).
class HostSecureWorld {
 public:
  struct Config {
    ucon::EngineConfig engine;
    std::uint32_t window_size = 0;  // 0: the board's PLAT_SHM_SIZE
    std::uint32_t rsp_cap = 8192;
    // Kernel integrity over a host buffer standing in for normal-world RAM
    // (PA [0, ns_ram_size)), the baseline in another; 0: no integrity
    // object (its commands answer NOT_FOUND).
    std::uint32_t ns_ram_size = 4u << 20;
    std::uint32_t copy_size = 1u << 20;
  };
  HostSecureWorld();
  explicit HostSecureWorld(const Config& cfg);
  HostSecureWorld(const HostSecureWorld&) = delete;
  HostSecureWorld& operator=(const HostSecureWorld&) = delete;

  // Returns the dispatcher's init status (kOk unless misconfigured).
  ucon::Status boot();
  monitor::SmcResult smc(std::uint32_t r0, std::uint32_t r1 = 0,
                         std::uint32_t r2 = 0, std::uint32_t r3 = 0,
                         std::uint32_t r4 = 0, std::uint32_t cpu = 0);
  std::vector<std::uint8_t> device_id() const;

  Config cfg;
  monitor::DeviceKeys keys;
  monitor::RamStateStore store;
  monitor::Authority authority;
  std::vector<std::uint64_t> arena;
  ucon::Engine engine;
  std::vector<std::uint8_t> window;
  std::vector<std::uint64_t> req;
  std::vector<std::uint64_t> rsp;
  monitor::Dispatcher disp;
  std::vector<std::uint64_t> ns_ram;  // 8-byte aligned normal-world RAM
  std::vector<std::uint64_t> copy;
  std::unique_ptr<integrity::KernelIntegrity> ki;
  std::uint64_t boots = 0;  // entropy for the nonce
  // The secure clock the dispatcher reads (all worlds share it).
  static std::uint64_t now_us;
  std::uint8_t* ns_bytes() { return reinterpret_cast<std::uint8_t*>(ns_ram.data()); }
  integrity::Config integrity_config() const;
};

}  // namespace monitor_test

#endif  // TZUCON_TESTS_MONITOR_TEST_POLICY_H
