// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// message_test.cc - function id decoding, request framing, window bounds and
// the client session table.
#include "message.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <vector>

#include "client_sessions.h"
#include "reader.h"
#include "shm_window.h"

namespace {

using monitor::FunctionId;
using monitor::Range;
using ucon::Status;

TEST(FunctionId, DecodesSmcccFields) {
  FunctionId f = FunctionId::decode(TZU_SMC_DECIDE);
  EXPECT_TRUE(f.fast);
  EXPECT_FALSE(f.smc64);
  EXPECT_EQ(f.oen, 50u);
  EXPECT_EQ(f.mbz, 0u);
  EXPECT_EQ(f.func, TZU_CMD_DECIDE);
  f = FunctionId::decode(TZU_SMC_YIELD(TZU_CMD_LOAD_POLICY));
  EXPECT_FALSE(f.fast);
  EXPECT_EQ(f.oen, 50u);
  EXPECT_EQ(f.func, TZU_CMD_LOAD_POLICY);
  f = FunctionId::decode(TZU_SMC_CALLS_UID);
  EXPECT_EQ(f.oen, 63u);
  EXPECT_EQ(f.func, 0xFF01u);
  f = FunctionId::decode(0xF2AB0003u);
  EXPECT_TRUE(f.smc64);
  EXPECT_EQ(f.mbz, 0xABu);
}

tzu_hdr good(std::uint32_t cmd, std::uint32_t size) {
  return monitor::make_header(cmd, size, Status::kOk);
}

TEST(RequestHeader, ChecksInOrder) {
  using monitor::check_request_header;
  const std::uint32_t cmd = TZU_CMD_SET_MODE;
  EXPECT_EQ(check_request_header(good(cmd, 24), cmd, 24), Status::kOk);
  EXPECT_EQ(check_request_header(good(cmd, 24), cmd, 15), Status::kBadSize);
  tzu_hdr h = good(cmd, 24);
  h.magic = 0;
  h.version = 9;  // magic is reported first
  EXPECT_EQ(check_request_header(h, cmd, 24), Status::kBadMagic);
  h = good(cmd, 24);
  h.version = TZU_ABI_VERSION - 1;  // a v1 client
  EXPECT_EQ(check_request_header(h, cmd, 24), Status::kBadVersion);
  EXPECT_EQ(check_request_header(good(TZU_CMD_GET_STATS, 24), cmd, 24),
            Status::kBadCommand);
  EXPECT_EQ(check_request_header(good(cmd, 32), cmd, 24), Status::kBadSize);
  h = good(cmd, 24);
  h.status = 1;
  EXPECT_EQ(check_request_header(h, cmd, 24), Status::kBadField);
}

TEST(RequestHeader, SizesOfEveryYieldingCommand) {
  for (std::uint32_t cmd = 1; cmd < TZU_CMD_COUNT; ++cmd) {
    if (cmd == TZU_CMD_DECIDE) {
      EXPECT_EQ(monitor::request_size(cmd), 0u);
      continue;
    }
    EXPECT_GE(monitor::request_size(cmd), sizeof(tzu_hdr)) << cmd;
    EXPECT_GE(monitor::response_size(cmd), sizeof(tzu_hdr)) << cmd;
  }
  EXPECT_EQ(monitor::request_size(0), 0u);
  EXPECT_EQ(monitor::request_size(TZU_CMD_COUNT), 0u);
}

// The ABI v2 messages: [admin] requests end with their tzu_auth.
TEST(RequestHeader, SizesOfTheAuthorityCommands) {
  using monitor::request_size;
  using monitor::response_size;
  EXPECT_EQ(request_size(TZU_CMD_SET_MODE), sizeof(tzu_set_mode_req));
  EXPECT_EQ(request_size(TZU_CMD_UPDATE_ATTR), sizeof(tzu_update_attr_req));
  EXPECT_EQ(request_size(TZU_CMD_END_USAGE), sizeof(tzu_end_usage_req));
  EXPECT_EQ(request_size(TZU_CMD_AUDIT_CONFIG), sizeof(tzu_audit_config_req));
  EXPECT_EQ(request_size(TZU_CMD_GET_CHALLENGE), sizeof(tzu_session_req));
  EXPECT_EQ(request_size(TZU_CMD_GET_REPORT), sizeof(tzu_report_req));
  EXPECT_EQ(request_size(TZU_CMD_READ_AUDIT), sizeof(tzu_read_audit_req));
  EXPECT_EQ(response_size(TZU_CMD_GET_CHALLENGE), sizeof(tzu_challenge_rsp));
  EXPECT_EQ(response_size(TZU_CMD_GET_REPORT), sizeof(tzu_report));
  EXPECT_EQ(response_size(TZU_CMD_AUDIT_CONFIG), sizeof(tzu_hdr));
  EXPECT_EQ(response_size(TZU_CMD_LOAD_POLICY), sizeof(tzu_load_policy_rsp));
  EXPECT_EQ(offsetof(tzu_set_mode_req, auth) + sizeof(tzu_auth),
            sizeof(tzu_set_mode_req));
  EXPECT_EQ(offsetof(tzu_set_mode_req, mode), TZU_AUTH_ARGS_OFFSET);
  EXPECT_EQ(offsetof(tzu_update_attr_req, op), TZU_AUTH_ARGS_OFFSET);
  EXPECT_EQ(offsetof(tzu_end_usage_req, usage), TZU_AUTH_ARGS_OFFSET);
  EXPECT_EQ(offsetof(tzu_audit_config_req, op), TZU_AUTH_ARGS_OFFSET);
}

TEST(BoundedStrlen, RequiresNul) {
  const char a[4] = {'a', 'b', 0, 'x'};
  const char b[4] = {'a', 'b', 'c', 'd'};
  EXPECT_EQ(monitor::bounded_strlen(a, 4), 2);
  EXPECT_EQ(monitor::bounded_strlen(b, 4), -1);
}

TEST(ShmWindow, ContainsIsOverflowSafe) {
  std::vector<std::uint8_t> buf(4096);
  monitor::ShmWindow w(buf.data(), 4096);
  EXPECT_TRUE(w.contains(Range{0, 4096}));
  EXPECT_TRUE(w.contains(Range{4096, 0}));
  EXPECT_FALSE(w.contains(Range{4097, 0}));
  EXPECT_FALSE(w.contains(Range{1, 4096}));
  EXPECT_FALSE(w.contains(Range{16, 0xFFFFFFF8u}));  // off + len wraps
  EXPECT_FALSE(w.contains(Range{0xFFFFFFF0u, 0x20}));
  EXPECT_FALSE(w.contains(Range{100, 8}, 1024));  // below the command area
  std::uint8_t dst[8];
  EXPECT_FALSE(w.copy_in(Range{4090, 8}, dst));
  EXPECT_FALSE(w.copy_out(4090, dst, 8));
  EXPECT_TRUE(w.copy_in(Range{4088, 8}, dst));
}

TEST(ShmWindow, Overlaps) {
  EXPECT_TRUE(monitor::overlaps(Range{0, 16}, Range{15, 1}));
  EXPECT_FALSE(monitor::overlaps(Range{0, 16}, Range{16, 1}));
  EXPECT_FALSE(monitor::overlaps(Range{0, 0}, Range{0, 16}));
  EXPECT_TRUE(monitor::overlaps(Range{0xFFFFFFF0u, 0x10}, Range{0xFFFFFFFFu, 1}));
}

TEST(Reader, FailsOnOverrun) {
  const std::uint8_t b[6] = {1, 2, 3, 4, 5, 6};
  monitor::Reader r(b, sizeof(b));
  std::uint32_t v;
  EXPECT_TRUE(r.read(&v));
  EXPECT_FALSE(r.read(&v));
  const std::uint8_t* p;
  EXPECT_FALSE(r.take(3, &p));
  EXPECT_TRUE(r.take(2, &p));
  EXPECT_EQ(p[0], 5);
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(ClientSessions, BoundedAndNotReused) {
  monitor::ClientSessions t;
  std::uint32_t id = 0, first = 0;
  EXPECT_EQ(t.open(7, &id), Status::kBadField);
  for (std::uint32_t i = 0; i < monitor::ClientSessions::kMax; ++i) {
    ASSERT_EQ(t.open(TZU_CLIENT_KERNEL, &id), Status::kOk);
    if (i == 0) first = id;
    EXPECT_NE(id, 0u);
  }
  EXPECT_EQ(t.open(TZU_CLIENT_KERNEL, &id), Status::kLimit);
  EXPECT_EQ(t.live(), monitor::ClientSessions::kMax);
  EXPECT_EQ(t.close(first), Status::kOk);
  EXPECT_EQ(t.close(first), Status::kBadSession);
  EXPECT_EQ(t.close(0), Status::kBadSession);
  ASSERT_EQ(t.open(TZU_CLIENT_KERNEL, &id), Status::kOk);
  EXPECT_NE(id, first);  // a stale id does not come back
  EXPECT_FALSE(t.valid(first));
  EXPECT_TRUE(t.valid(id));
}

// Kernel clients have reserved entries; user clients a quota (issue 7: 15
// /dev/tee0 sessions must not starve the kernel's client).
TEST(ClientSessions, UserQuotaLeavesTheKernelReserve) {
  using monitor::ClientSessions;
  ClientSessions t;
  std::uint32_t id = 0;
  const std::uint32_t quota = ClientSessions::kMax - ClientSessions::kKernelReserve;
  for (std::uint32_t i = 0; i < quota; ++i)
    ASSERT_EQ(t.open(TZU_CLIENT_USER, &id), Status::kOk) << i;
  EXPECT_EQ(t.open(TZU_CLIENT_USER, &id), Status::kLimit);
  EXPECT_EQ(id, 0u);
  EXPECT_EQ(t.live(TZU_CLIENT_USER), quota);
  for (std::uint32_t i = 0; i < ClientSessions::kKernelReserve; ++i)
    ASSERT_EQ(t.open(TZU_CLIENT_KERNEL, &id), Status::kOk) << i;
  EXPECT_EQ(t.open(TZU_CLIENT_KERNEL, &id), Status::kLimit);
  EXPECT_EQ(t.live(TZU_CLIENT_KERNEL), ClientSessions::kKernelReserve);
  EXPECT_EQ(t.live(), ClientSessions::kMax);
  // A user client closing makes room for a user client again.
  ASSERT_EQ(t.close(1), Status::kOk);
  EXPECT_EQ(t.open(TZU_CLIENT_USER, &id), Status::kOk);
}

}  // namespace
