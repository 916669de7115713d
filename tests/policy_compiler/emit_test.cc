// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// emit_test.cc - decodes emitted blobs by hand against blob_format.h: header,
// section layout, rules, post-order nodes, pool encodings, attributes,
// updates, device binding, Ed25519 signature, determinism.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>
#include <string>
#include <vector>

#include "blob_format.h"
#include "compiler.h"
#include "crypto.h"
#include "ed25519.h"
#include "fields.h"
#include "test_util.h"
#include "tzucon_abi.h"

namespace {

using policyc_test::policy;

// Reads a T at a byte offset, failing the test if it is out of the blob.
template <typename T>
T at(const std::vector<std::uint8_t>& blob, std::size_t off) {
  T v{};
  EXPECT_LE(off + sizeof(T), blob.size()) << "read past the blob";
  if (off + sizeof(T) <= blob.size()) std::memcpy(&v, blob.data() + off, sizeof(T));
  return v;
}

struct Blob {
  std::vector<std::uint8_t> bytes;
  ucon::BlobHeader h{};

  ucon::BlobRule rule(std::uint32_t i) const {
    return at<ucon::BlobRule>(bytes, h.rules_off + i * sizeof(ucon::BlobRule));
  }
  ucon::BlobNode node(std::uint32_t i) const {
    return at<ucon::BlobNode>(bytes, h.nodes_off + i * sizeof(ucon::BlobNode));
  }
  std::uint32_t kid(std::uint32_t i) const {
    return at<std::uint32_t>(bytes, h.kids_off + i * 4);
  }
  ucon::BlobAttr attr(std::uint32_t i) const {
    return at<ucon::BlobAttr>(bytes, h.attrs_off + i * sizeof(ucon::BlobAttr));
  }
  ucon::BlobUpdate update(std::uint32_t i) const {
    return at<ucon::BlobUpdate>(bytes,
                                h.updates_off + i * sizeof(ucon::BlobUpdate));
  }
  std::string pool(std::uint32_t off, std::uint32_t len) const {
    EXPECT_LE(off + len, h.pool_size);
    return std::string(reinterpret_cast<const char*>(bytes.data()) + h.pool_off + off, len);
  }
  template <typename T>
  T pool_at(std::uint32_t off) const {
    EXPECT_LE(off + sizeof(T), h.pool_size);
    return at<T>(bytes, h.pool_off + off);
  }
};

Blob compile_blob(const std::string& text) {
  policyc::Key key = policyc_test::test_key();
  policyc::CompileResult r = policyc::compile(text, &key);
  EXPECT_TRUE(r.ok) << ::testing::PrintToString(policyc_test::errors_of(r));
  Blob b;
  b.bytes = r.blob;
  b.h = at<ucon::BlobHeader>(b.bytes, 0);
  return b;
}

std::string replace(std::string s, const std::string& from,
                    const std::string& to) {
  std::size_t i = s.find(from);
  EXPECT_NE(i, std::string::npos) << from;
  if (i != std::string::npos) s.replace(i, from.size(), to);
  return s;
}

std::uint32_t fnv(const std::string& s) { return ucon::fnv1a32(s.data(), s.size()); }

std::uint16_t field_id(const char* name) {
  return ucon::field_by_name(name, std::strlen(name))->id;
}

const char* kAttrs = R"({
  "quota": {"scope": "global", "type": "int", "initial": -5},
  "seen": {"scope": "subject", "type": "set", "key": "exe", "max_entries": 7},
  "owner": {"scope": "object", "type": "int", "key": "object.id"}})";

const char* kRules = R"(
  {"id": 7, "name": "first", "hook": "file_mprotect", "effect": "deny",
   "when": {"all": [
     {"field": "subject.uid", "eq": 1000},
     {"field": "subject.comm", "prefix": "py"},
     {"field": "subject.euid", "in": [5, 0, 5]}]},
   "audit": true, "obligations": ["kill", "notify"], "notify_code": 9},
  {"id": 8, "name": "second", "hook": "key_alloc", "effect": "permit",
   "when": {"not": {"field": "object.len", "range": [-2, 4096]}},
   "condition": {"attr": "quota", "lt": -2},
   "session": true, "mode": "permissive",
   "ongoing": {"attr": "owner", "present": true},
   "pre_update": [{"attr": "owner", "op": "set", "field": "subject.exe_ino"}],
   "post_update": [{"attr": "seen", "op": "insert", "value": -1},
                   {"attr": "quota", "op": "clear"}]},
  {"id": 9, "name": "third", "hook": "alg_bind", "effect": "deny",
   "when": {"field": "object.name", "in": ["sha1", "md5"]}},
  {"id": 10, "name": "fourth", "hook": "mmap_file", "effect": "deny",
   "when": {"field": "subject.exe_ino", "in": {"attr": "seen"}}})";

TEST(Emit, HeaderAndSectionLayout) {
  std::string text = policy(
      kRules, kAttrs,
      R"("combining":"first-applicable","mode":"permissive","audit_default":true,)");
  text = replace(text, R"("version":1)", R"("version":42)");
  text = replace(text, R"("default":"permit")", R"("default":"deny")");
  Blob b = compile_blob(text);
  const ucon::BlobHeader& h = b.h;
  EXPECT_EQ(h.magic, ucon::kBlobMagic);
  EXPECT_EQ(h.format_version, ucon::kBlobFormatVersion);
  EXPECT_EQ(h.header_size, sizeof(ucon::BlobHeader));
  EXPECT_EQ(h.total_size, b.bytes.size());
  EXPECT_EQ(h.policy_version, 42u);
  EXPECT_EQ(h.flags, ucon::kPolicyPermissive | ucon::kPolicyFirstApplicable |
                         ucon::kPolicyDefaultDeny | ucon::kPolicyAuditDefault);
  EXPECT_EQ(h.n_rules, 4u);
  EXPECT_EQ(h.n_attrs, 3u);
  EXPECT_EQ(h.n_updates, 3u);
  EXPECT_EQ(b.pool(h.name_off, h.name_len), "p");

  // Sections in the documented order, each 8-aligned, back to back, and the
  // signature right after the (8-aligned) end of the pool.
  struct Sec { std::uint32_t off; std::size_t bytes; };
  const Sec secs[] = {{h.rules_off, h.n_rules * sizeof(ucon::BlobRule)},
                      {h.nodes_off, h.n_nodes * sizeof(ucon::BlobNode)},
                      {h.kids_off, h.n_kids * 4u},
                      {h.attrs_off, h.n_attrs * sizeof(ucon::BlobAttr)},
                      {h.updates_off, h.n_updates * sizeof(ucon::BlobUpdate)},
                      {h.pool_off, h.pool_size}};
  std::size_t expect = sizeof(ucon::BlobHeader);
  for (const Sec& s : secs) {
    EXPECT_EQ(s.off % 8, 0u);
    EXPECT_EQ(s.off, expect);
    expect = (s.off + s.bytes + 7) & ~std::size_t{7};
  }
  EXPECT_EQ(h.total_size, expect + ucon::kBlobSigLen);
  // compile(text, &seed) binds a policy without "device" to the host device.
  EXPECT_EQ(std::memcmp(h.device_id, policyc::kHostTestDevice.data(), 16), 0);
}

TEST(Emit, RulesNodesAndPool) {
  Blob b = compile_blob(policy(kRules, kAttrs));
  ucon::BlobRule r0 = b.rule(0);
  EXPECT_EQ(r0.id, 7u);
  EXPECT_EQ(r0.name_hash, fnv("first"));
  EXPECT_EQ(b.pool(r0.name_off, r0.name_len), "first");
  EXPECT_EQ(r0.hook, TZU_HOOK_FILE_MPROTECT);
  EXPECT_EQ(r0.effect, ucon::kEffectDeny);
  EXPECT_EQ(r0.flags, ucon::kRuleAudit);
  EXPECT_EQ(r0.obligations, TZU_OBL_AUDIT | TZU_OBL_KILL | TZU_OBL_NOTIFY)
      << "audit: true implies the audit obligation";
  EXPECT_EQ(r0.notify_code, 9u);
  EXPECT_EQ(r0.condition, ucon::kNone);
  EXPECT_EQ(r0.ongoing, ucon::kNone);
  EXPECT_EQ(r0.pre_count + r0.post_count, 0u);

  // Post-order: the three comparisons, then the "all" naming them.
  ASSERT_EQ(r0.target, 3u);
  ucon::BlobNode eq = b.node(0), prefix = b.node(1), in = b.node(2),
                 all = b.node(3);
  EXPECT_EQ(eq.op, ucon::kOpEq);
  EXPECT_EQ(eq.lhs_kind, ucon::kOperandField);
  EXPECT_EQ(eq.lhs, field_id("subject.uid"));
  EXPECT_EQ(eq.rhs_kind, ucon::kOperandInt);
  EXPECT_EQ(eq.a, 1000u);
  EXPECT_EQ(eq.b, 0u);
  EXPECT_EQ(prefix.op, ucon::kOpPrefix);
  EXPECT_EQ(prefix.rhs_kind, ucon::kOperandBytes);
  EXPECT_EQ(b.pool(prefix.a, prefix.b), "py");
  EXPECT_EQ(in.op, ucon::kOpIn);
  EXPECT_EQ(in.rhs_kind, ucon::kOperandSet);
  EXPECT_EQ(in.a % 8, 0u);
  EXPECT_EQ(b.pool_at<std::uint32_t>(in.a), 2u) << "duplicates removed";
  EXPECT_EQ(b.pool_at<std::uint32_t>(in.a + 4), ucon::kOperandInt);
  EXPECT_EQ(b.pool_at<std::int64_t>(in.a + 8), 0);
  EXPECT_EQ(b.pool_at<std::int64_t>(in.a + 16), 5);
  EXPECT_EQ(all.op, ucon::kOpAnd);
  EXPECT_EQ(all.lhs_kind, ucon::kOperandNone);
  EXPECT_EQ(all.b, 3u);
  EXPECT_EQ(b.kid(all.a), 0u);
  EXPECT_EQ(b.kid(all.a + 1), 1u);
  EXPECT_EQ(b.kid(all.a + 2), 2u);

  ucon::BlobRule r1 = b.rule(1);
  EXPECT_EQ(r1.flags, ucon::kRuleSession | ucon::kRulePermissive);
  EXPECT_EQ(r1.effect, ucon::kEffectPermit);
  ucon::BlobNode not_node = b.node(r1.target);
  EXPECT_EQ(not_node.op, ucon::kOpNot);
  ASSERT_LT(not_node.a, r1.target);
  ucon::BlobNode range = b.node(not_node.a);
  EXPECT_EQ(range.op, ucon::kOpRange);
  EXPECT_EQ(range.rhs_kind, ucon::kOperandRange);
  EXPECT_EQ(range.a % 8, 0u);
  EXPECT_EQ(b.pool_at<std::int64_t>(range.a), -2);
  EXPECT_EQ(b.pool_at<std::int64_t>(range.a + 8), 4096);
  ucon::BlobNode cond = b.node(r1.condition);
  EXPECT_EQ(cond.op, ucon::kOpLt);
  EXPECT_EQ(cond.lhs_kind, ucon::kOperandAttr);
  EXPECT_EQ(cond.lhs, 0u);
  EXPECT_EQ(cond.a, 0xfffffffeu) << "int64 -2, low half";
  EXPECT_EQ(cond.b, 0xffffffffu) << "int64 -2, high half";
  ucon::BlobNode ongoing = b.node(r1.ongoing);
  EXPECT_EQ(ongoing.op, ucon::kOpPresent);
  EXPECT_EQ(ongoing.lhs_kind, ucon::kOperandAttr);
  EXPECT_EQ(ongoing.lhs, 2u);
  EXPECT_EQ(ongoing.rhs_kind, ucon::kOperandNone);

  ucon::BlobRule r2 = b.rule(2);
  ucon::BlobNode strs = b.node(r2.target);
  ASSERT_EQ(strs.rhs_kind, ucon::kOperandSet);
  EXPECT_EQ(b.pool_at<std::uint32_t>(strs.a), 2u);
  EXPECT_EQ(b.pool_at<std::uint32_t>(strs.a + 4), ucon::kOperandBytes);
  // Members sorted bytewise: "md5" < "sha1".
  auto member = [&](std::uint32_t i) {
    return b.pool(b.pool_at<std::uint32_t>(strs.a + 8 + 8 * i),
                  b.pool_at<std::uint32_t>(strs.a + 12 + 8 * i));
  };
  EXPECT_EQ(member(0), "md5");
  EXPECT_EQ(member(1), "sha1");

  ucon::BlobNode in_attr = b.node(b.rule(3).target);
  EXPECT_EQ(in_attr.op, ucon::kOpIn);
  EXPECT_EQ(in_attr.rhs_kind, ucon::kOperandAttr);
  EXPECT_EQ(in_attr.a, 1u);

  // Every child index precedes its parent.
  for (std::uint32_t i = 0; i < b.h.n_nodes; ++i) {
    ucon::BlobNode n = b.node(i);
    if (n.op == ucon::kOpAnd || n.op == ucon::kOpOr) {
      for (std::uint32_t k = n.a; k < n.a + n.b; ++k) EXPECT_LT(b.kid(k), i);
    } else if (n.op == ucon::kOpNot) {
      EXPECT_LT(n.a, i);
    }
    EXPECT_EQ(n.pad[0] | n.pad[1] | n.pad[2], 0);
  }
}

TEST(Emit, AttributesAndUpdates) {
  Blob b = compile_blob(policy(kRules, kAttrs));
  ucon::BlobAttr quota = b.attr(0), seen = b.attr(1), owner = b.attr(2);
  EXPECT_EQ(quota.scope, TZU_ATTR_SCOPE_GLOBAL);
  EXPECT_EQ(quota.type, ucon::kAttrInt);
  EXPECT_EQ(quota.key, 0u);
  EXPECT_EQ(quota.initial, -5);
  EXPECT_EQ(quota.max_entries, 1u);
  EXPECT_EQ(quota.name_hash, fnv("quota"));
  EXPECT_EQ(b.pool(quota.name_off, quota.name_len), "quota");
  EXPECT_EQ(seen.scope, TZU_ATTR_SCOPE_SUBJECT);
  EXPECT_EQ(seen.type, ucon::kAttrSet);
  EXPECT_EQ(seen.key, ucon::kKeyExe);
  EXPECT_EQ(seen.max_entries, 7u);
  EXPECT_EQ(owner.scope, TZU_ATTR_SCOPE_OBJECT);
  EXPECT_EQ(owner.key, ucon::kKeyField);
  EXPECT_EQ(owner.key_field, field_id("object.id"));
  EXPECT_EQ(owner.max_entries, 256u) << "documented default";

  ucon::BlobRule r1 = b.rule(1);
  EXPECT_EQ(r1.pre_first, 0u);
  EXPECT_EQ(r1.pre_count, 1u);
  EXPECT_EQ(r1.post_first, 1u);
  EXPECT_EQ(r1.post_count, 2u);
  ucon::BlobUpdate set = b.update(0), insert = b.update(1), clear = b.update(2);
  EXPECT_EQ(set.attr, 2u);
  EXPECT_EQ(set.op, TZU_ATTR_OP_SET);
  EXPECT_EQ(set.value_kind, ucon::kOperandField);
  EXPECT_EQ(set.value, field_id("subject.exe_ino"));
  EXPECT_EQ(insert.attr, 1u);
  EXPECT_EQ(insert.op, TZU_ATTR_OP_INSERT);
  EXPECT_EQ(insert.value_kind, ucon::kOperandInt);
  EXPECT_EQ(insert.value, -1);
  EXPECT_EQ(clear.op, TZU_ATTR_OP_CLEAR);
  EXPECT_EQ(clear.value_kind, ucon::kOperandNone);
}

TEST(Emit, SymbolsAndDigests) {
  std::string digest(64, 'a');
  Blob b = compile_blob(policy(
      R"({"id":1,"name":"r","hook":"kernel_read_file","effect":"deny","when":{"all":[)"
      R"({"field":"object.kind","eq":"kexec_initramfs"},)"
      R"({"field":"object.prot","bits_all":"write|exec"},)"
      R"({"field":"object.sha256","eq":")" + digest + R"("},)"
      R"({"field":"hook","eq":"kernel_read_file"}]}})"));
  EXPECT_EQ(b.node(0).a, TZU_LOAD_KEXEC_INITRAMFS);
  EXPECT_EQ(b.node(1).a, TZU_PROT_WRITE | TZU_PROT_EXEC);
  ucon::BlobNode d = b.node(2);
  EXPECT_EQ(d.rhs_kind, ucon::kOperandBytes);
  EXPECT_EQ(b.pool(d.a, d.b), std::string(32, '\xaa'));
  EXPECT_EQ(b.node(3).a, TZU_HOOK_KERNEL_READ_FILE);
}

TEST(Emit, SignatureCoversEverythingBeforeIt) {
  Blob b = compile_blob(policy(kRules, kAttrs));
  const policyc::PublicKey pub = policyc_test::test_pub();
  std::size_t body = b.bytes.size() - ucon::kBlobSigLen;
  EXPECT_TRUE(ucon::ed25519_verify(pub.data(), b.bytes.data(), body, b.bytes.data() + body));
  for (std::size_t at : {std::size_t{0}, offsetof(ucon::BlobHeader, device_id), body / 2,
                         body - 1, body}) {
    std::vector<std::uint8_t> t = b.bytes;
    t[at] ^= 1;
    EXPECT_FALSE(ucon::ed25519_verify(pub.data(), t.data(), body, t.data() + body)) << at;
  }
}

TEST(Emit, DeterministicForSameInputAndKey) {
  std::string text = policy(kRules, kAttrs);
  policyc::Key key = policyc_test::test_key();
  policyc::CompileResult a = policyc::compile(text, &key);
  policyc::CompileResult b = policyc::compile(text, &key);
  ASSERT_TRUE(a.ok);
  EXPECT_EQ(a.blob, b.blob);
  // Another key changes the signature only.
  policyc::Key other = key;
  other[0] ^= 0x80;
  policyc::CompileResult c = policyc::compile(text, &other);
  ASSERT_EQ(c.blob.size(), a.blob.size());
  std::size_t body = a.blob.size() - ucon::kBlobSigLen;
  EXPECT_TRUE(std::equal(a.blob.begin(), a.blob.begin() + static_cast<long>(body),
                         c.blob.begin()));
  EXPECT_NE(a.blob, c.blob);
}

ucon::BlobHeader header_of(const policyc::CompileResult& r) {
  ucon::BlobHeader h{};
  EXPECT_TRUE(r.ok) << (r.errors.empty() ? "" : r.errors[0].to_string());
  if (r.blob.size() >= sizeof(h)) std::memcpy(&h, r.blob.data(), sizeof(h));
  return h;
}

TEST(Emit, DeviceBindingAndAuthorityFlags) {
  policyc::KeyPair kp = policyc_test::test_key_pair();
  policyc::CompileOptions opts;
  opts.key = &kp;
  const policyc::DeviceId dev = {0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01};
  opts.device = dev;
  // --device only.
  ucon::BlobHeader h = header_of(policyc::compile(policy(""), opts));
  EXPECT_EQ(std::memcmp(h.device_id, dev.data(), 16), 0);
  EXPECT_EQ(h.flags & ucon::kPolicyAnyDevice, 0u);
  // The policy's own device (same as --device is fine).
  h = header_of(policyc::compile(
      policy("", "", R"("device":"deadbeef000000000000000000000001",)"), opts));
  EXPECT_EQ(std::memcmp(h.device_id, dev.data(), 16), 0);
  // "any": flag set, device id zero.
  opts.device.reset();
  h = header_of(policyc::compile(policy("", "", R"("device":"any",)"), opts));
  EXPECT_EQ(h.flags & ucon::kPolicyAnyDevice, ucon::kPolicyAnyDevice);
  EXPECT_EQ(std::memcmp(h.device_id, std::string(16, '\0').data(), 16), 0);
  // audit_overflow / weak_boot: defaults clear, the other choice sets the flag.
  EXPECT_EQ(h.flags & (ucon::kPolicyAuditFailClosed | ucon::kPolicyRefuseWeakBoot), 0u);
  h = header_of(policyc::compile(
      policy("", "", R"("device":"any","audit_overflow":"fail-closed","weak_boot":"refuse",)"),
      opts));
  EXPECT_EQ(h.flags & (ucon::kPolicyAuditFailClosed | ucon::kPolicyRefuseWeakBoot),
            ucon::kPolicyAuditFailClosed | ucon::kPolicyRefuseWeakBoot);
  h = header_of(policyc::compile(
      policy("", "", R"("device":"any","audit_overflow":"drop-oldest","weak_boot":"degrade",)"),
      opts));
  EXPECT_EQ(h.flags & (ucon::kPolicyAuditFailClosed | ucon::kPolicyRefuseWeakBoot), 0u);
  EXPECT_EQ(h.flags & ~ucon::kPolicyKnownFlags, 0u);
}

TEST(Emit, AttributeWriters) {
  Blob b = compile_blob(policy("",
      R"({"e":{"scope":"global"},"w":{"scope":"global","writer":"engine"},)"
      R"("a":{"scope":"subject","key":"tgid","writer":"admin"},)"
      R"("integrity_state":{"scope":"global","writer":"secure"}})"));
  ASSERT_EQ(b.h.n_attrs, 4u);
  EXPECT_EQ(b.attr(0).writer, ucon::kWriterEngine);
  EXPECT_EQ(b.attr(1).writer, ucon::kWriterEngine);
  EXPECT_EQ(b.attr(2).writer, ucon::kWriterAdmin);
  EXPECT_EQ(b.attr(3).writer, ucon::kWriterSecure);
}

TEST(Emit, AbsentTargetIsAlwaysTrueAndEmptyPolicyIsValid) {
  Blob b = compile_blob(policy(R"({"id":3,"name":"all-mmap","hook":"mmap_file","effect":"deny"})"));
  EXPECT_EQ(b.rule(0).target, ucon::kNone);
  EXPECT_EQ(b.h.n_nodes, 0u);
  Blob e = compile_blob(policy(""));
  EXPECT_EQ(e.h.n_rules, 0u);
  EXPECT_EQ(e.h.rules_off % 8, 0u);
  EXPECT_EQ(e.h.total_size, e.bytes.size());
}

}  // namespace
