// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// policy_decode_test.cc - the blob decoder rejects every malformed blob with
// an error code (validly signed, so only the decoder stands in the way).
#include <gtest/gtest.h>

#include <cstring>
#include <functional>

#include "test_util.h"

namespace ucon_test {
namespace {

using ucon::BlobHeader;
using ucon::Status;

BlobHeader* header(std::vector<std::uint8_t>* blob) {
  return reinterpret_cast<BlobHeader*>(blob->data());
}

template <typename T>
T* section(std::vector<std::uint8_t>* blob, std::uint32_t off) {
  return reinterpret_cast<T*>(blob->data() + off);
}

BlobBuilder sample() {
  BlobBuilder b;
  std::uint32_t a = b.attr("uses", TZU_ATTR_SCOPE_SUBJECT, ucon::kAttrInt,
                           ucon::kKeyTgid);
  std::uint32_t t = b.all({b.field_eq("subject.uid", 0),
                           b.field_in_str("object.name", {"sha256"})});
  BlobRule& r = b.rule(1, TZU_HOOK_ALG_BIND, ucon::kEffectDeny, t);
  r.pre_first = b.update(a, TZU_ATTR_OP_ADD, 1);
  r.pre_count = 1;
  return b;
}

struct Mutation {
  const char* what;
  std::function<void(std::vector<std::uint8_t>*)> apply;
  Status want;
};

TEST(PolicyDecode, SampleLoads) {
  TestEngine e;
  EXPECT_EQ(e.load(sample().build()), Status::kOk);
}

TEST(PolicyDecode, RejectsEveryMalformation) {
  const std::vector<Mutation> cases = {
      {"magic", [](auto* b) { header(b)->magic ^= 1; }, Status::kBadMagic},
      {"format version", [](auto* b) { header(b)->format_version = 3; },
       Status::kBadVersion},
      {"header size", [](auto* b) { header(b)->header_size = 64; },
       Status::kBadSize},
      {"total size", [](auto* b) { header(b)->total_size += 8; },
       Status::kBadSize},
      {"unknown flag", [](auto* b) { header(b)->flags = 0x100; },
       Status::kMalformed},
      {"reserved", [](auto* b) { header(b)->reserved = 1; }, Status::kMalformed},
      {"any device and a device id",
       [](auto* b) { header(b)->flags |= ucon::kPolicyAnyDevice; },
       Status::kMalformed},
      {"rules past end", [](auto* b) { header(b)->n_rules = 1000; },
       Status::kBadOffset},
      {"rules misaligned", [](auto* b) { header(b)->rules_off += 4; },
       Status::kBadOffset},
      {"rules inside header", [](auto* b) { header(b)->rules_off = 8; },
       Status::kBadOffset},
      {"nodes offset overflow",
       [](auto* b) { header(b)->nodes_off = 0xfffffff8u; }, Status::kBadOffset},
      {"pool into signature", [](auto* b) { header(b)->pool_size += 16; },
       Status::kBadOffset},
      {"too many rules", [](auto* b) { header(b)->n_rules = ucon::kMaxRules + 1; },
       Status::kLimit},
      {"too many attrs", [](auto* b) { header(b)->n_attrs = ucon::kMaxAttrs + 1; },
       Status::kLimit},
      {"rule id 0",
       [](auto* b) { section<BlobRule>(b, header(b)->rules_off)->id = 0; },
       Status::kMalformed},
      {"rule hook", [](auto* b) { section<BlobRule>(b, header(b)->rules_off)->hook = 99; },
       Status::kMalformed},
      {"rule effect",
       [](auto* b) { section<BlobRule>(b, header(b)->rules_off)->effect = 2; },
       Status::kMalformed},
      {"rule target index",
       [](auto* b) { section<BlobRule>(b, header(b)->rules_off)->target = 999; },
       Status::kMalformed},
      {"ongoing without session",
       [](auto* b) { section<BlobRule>(b, header(b)->rules_off)->ongoing = 0; },
       Status::kMalformed},
      {"obligation bits",
       [](auto* b) { section<BlobRule>(b, header(b)->rules_off)->obligations = 0x100; },
       Status::kMalformed},
      {"update range",
       [](auto* b) { section<BlobRule>(b, header(b)->rules_off)->pre_count = 9; },
       Status::kMalformed},
      {"rule name outside pool",
       [](auto* b) { section<BlobRule>(b, header(b)->rules_off)->name_off = 1u << 30; },
       Status::kBadOffset},
      {"node op",
       [](auto* b) { section<BlobNode>(b, header(b)->nodes_off)->op = 200; },
       Status::kMalformed},
      {"node field id",
       [](auto* b) { section<BlobNode>(b, header(b)->nodes_off)->lhs = 500; },
       Status::kMalformed},
      {"node padding",
       [](auto* b) { section<BlobNode>(b, header(b)->nodes_off)->pad[1] = 1; },
       Status::kMalformed},
      {"int vs string compare",
       [](auto* b) { section<BlobNode>(b, header(b)->nodes_off)->rhs_kind = ucon::kOperandBytes; },
       Status::kMalformed},
      {"set outside pool",
       [](auto* b) { section<BlobNode>(b, header(b)->nodes_off)[1].a = 1u << 20; },
       Status::kBadOffset},
      {"forward child (cycle)",
       [](auto* b) { section<std::uint32_t>(b, header(b)->kids_off)[0] = 2; },
       Status::kMalformed},
      {"and over kids end",
       [](auto* b) { section<BlobNode>(b, header(b)->nodes_off)[2].b = 7; },
       Status::kMalformed},
      {"attr type",
       [](auto* b) { section<BlobAttr>(b, header(b)->attrs_off)->type = 9; },
       Status::kMalformed},
      {"attr subject key",
       [](auto* b) { section<BlobAttr>(b, header(b)->attrs_off)->key = ucon::kKeyField; },
       Status::kMalformed},
      {"attr writer",
       [](auto* b) { section<BlobAttr>(b, header(b)->attrs_off)->writer = 3; },
       Status::kMalformed},
      {"attr zero entries",
       [](auto* b) { section<BlobAttr>(b, header(b)->attrs_off)->max_entries = 0; },
       Status::kMalformed},
      {"update attr index",
       [](auto* b) { section<BlobUpdate>(b, header(b)->updates_off)->attr = 3; },
       Status::kMalformed},
      {"update op",
       [](auto* b) { section<BlobUpdate>(b, header(b)->updates_off)->op = 9; },
       Status::kMalformed},
      {"insert into int",
       [](auto* b) { section<BlobUpdate>(b, header(b)->updates_off)->op = TZU_ATTR_OP_INSERT; },
       Status::kMalformed},
  };
  for (const Mutation& m : cases) {
    std::vector<std::uint8_t> blob = sample().build();
    m.apply(&blob);
    sign_blob(&blob);
    TestEngine e;
    EXPECT_EQ(e.load(blob), m.want) << m.what;
    EXPECT_EQ(e->policy(), nullptr) << m.what;
  }
}

// Secure and admin attributes have one writer each outside the policy: a
// rule that updates one is not a valid policy (issue 7, writers).
TEST(PolicyDecode, RuleUpdateOfSecureOrAdminAttributeIsMalformed) {
  for (std::uint8_t writer : {ucon::kWriterSecure, ucon::kWriterAdmin}) {
    BlobBuilder b = sample();
    b.set_writer(0, writer);
    TestEngine e;
    EXPECT_EQ(e.load(b.build()), Status::kMalformed) << int{writer};
    EXPECT_EQ(e->policy(), nullptr);
  }
  // Declared but only read by rules: fine.
  BlobBuilder b;
  std::uint32_t a = b.attr("integrity_state", TZU_ATTR_SCOPE_GLOBAL,
                           ucon::kAttrInt, 0, 0, 0, 1);
  b.set_writer(a, ucon::kWriterSecure);
  b.rule(1, TZU_HOOK_DEVMEM_OPEN, ucon::kEffectDeny, b.attr_cmp(ucon::kOpEq, a, 2));
  TestEngine e;
  EXPECT_EQ(e.load(b.build()), Status::kOk);
}

// Entries are stored by name hash, rules and the per-hook cache epochs
// (Policy::attr_readers) work by index: two declarations with one hash
// would share values behind the readers' backs, so the secure decoder
// refuses them itself (the compiler already does).
TEST(PolicyDecode, DuplicateAttributeHashIsMalformed) {
  BlobBuilder b = sample();
  const std::uint32_t q = b.attr("quota", TZU_ATTR_SCOPE_GLOBAL, ucon::kAttrInt);
  b.rule(2, TZU_HOOK_FILE_MPROTECT, ucon::kEffectDeny, b.attr_cmp(ucon::kOpGe, q, 3));
  TestEngine e;
  ASSERT_EQ(e.load(b.build()), Status::kOk);
  std::vector<std::uint8_t> blob = b.build();
  BlobAttr* attrs = section<BlobAttr>(&blob, header(&blob)->attrs_off);
  attrs[1].name_hash = attrs[0].name_hash;
  sign_blob(&blob);
  TestEngine e2;
  EXPECT_EQ(e2.load(blob), Status::kMalformed);
  EXPECT_EQ(e2->policy(), nullptr);
}

TEST(PolicyDecode, TruncatedAtEveryLengthIsRejected) {
  const std::vector<std::uint8_t> blob = sample().build();
  TestEngine e;
  for (std::size_t len = 0; len < blob.size(); ++len) {
    std::vector<std::uint8_t> cut(blob.begin(), blob.begin() + len);
    if (cut.size() >= ucon::kBlobSigLen) sign_blob(&cut);
    EXPECT_NE(e.load(cut), Status::kOk) << len;
  }
  EXPECT_EQ(e.load(blob), Status::kOk);
}

TEST(PolicyDecode, DepthLimitEnforced) {
  auto nested = [](std::uint32_t depth) {
    BlobBuilder b;
    std::uint32_t n = b.field_eq("subject.uid", 0);
    for (std::uint32_t i = 1; i < depth; ++i) n = b.negate(n);
    b.rule(1, TZU_HOOK_DEVMEM_OPEN, ucon::kEffectDeny, n);
    return b.build();
  };
  TestEngine e;
  EXPECT_EQ(e.load(nested(ucon::kMaxExprDepth)), Status::kOk);
  EXPECT_EQ(e.load(nested(ucon::kMaxExprDepth + 1)), Status::kLimit);
}

TEST(PolicyDecode, SetSizeLimit) {
  auto with_set = [](std::size_t n) {
    BlobBuilder b;
    std::vector<std::int64_t> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::int64_t>(i);
    b.rule(1, TZU_HOOK_DEVMEM_OPEN, ucon::kEffectDeny, b.field_in("subject.uid", v));
    return b.build();
  };
  TestEngine e;
  EXPECT_EQ(e.load(with_set(ucon::kMaxSetMembers)), Status::kOk);
  EXPECT_EQ(e.load(with_set(ucon::kMaxSetMembers + 1)), Status::kLimit);
}

}  // namespace
}  // namespace ucon_test
