// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// blob_format.h - binary policy blob v1: the contract between the user-space
// policy compiler (writer) and the UCON engine (reader, validates everything).
//
// Layout (all integers little-endian, every section 8-byte aligned):
//
//   BlobHeader                      96 bytes
//   BlobRule    rules[n_rules]      at rules_off
//   BlobNode    nodes[n_nodes]      at nodes_off   (expression nodes)
//   uint32_t    kids[n_kids]        at kids_off    (AND/OR child lists)
//   BlobAttr    attrs[n_attrs]      at attrs_off   (mutable attribute decls)
//   BlobUpdate  updates[n_updates]  at updates_off (pre/post updates)
//   uint8_t     pool[pool_size]     at pool_off    (strings, sets, ranges)
//   uint8_t     signature[64]       at total_size - 64
//
// signature = Ed25519(policy key, blob[0 .. total_size - 64)) (RFC 8032).
// The secure image holds only the policy key's public half. A blob binds
// the device it is for (device_id, the first 16 bytes of SHA-256 of the
// device public key) unless kPolicyAnyDevice is set ("device": "any").
//
// Expression nodes are stored in post-order: every child index (kids[] entry
// or NOT operand) is strictly smaller than its parent's index, so a valid blob
// cannot encode a cycle; depth is bounded by kMaxExprDepth.
//
// Operands of comparison nodes:
//   lhs: kOperandField (lhs = field id) or kOperandAttr (lhs = attr index)
//   rhs: kOperandInt    a = low 32 bits, b = high 32 bits (two's complement)
//        kOperandBytes  a = pool offset, b = length (strings, digests)
//        kOperandSet    a = pool offset of a BlobSet, b = 0
//        kOperandRange  a = pool offset of two int64 {lo, hi} (inclusive)
//        kOperandField  a = field id
//        kOperandAttr   a = attr index
//
// A BlobSet in the pool is: uint32_t count; uint32_t elem_kind (kOperandInt
// or kOperandBytes); then count entries of 8 bytes each: an int64, or
// {uint32_t pool offset, uint32_t length} for bytes.
#ifndef UCON_ENGINE_BLOB_FORMAT_H
#define UCON_ENGINE_BLOB_FORMAT_H

#include <stdint.h>

namespace ucon {

constexpr uint32_t kBlobMagic = 0x42505a54u;  // "TZPB"
constexpr uint16_t kBlobFormatVersion = 2;
constexpr uint32_t kBlobSigLen = 64;  // Ed25519 signature trailer
constexpr uint32_t kDeviceIdLen = 16;
constexpr uint32_t kNone = 0xffffffffu;  // "no node" / "no limit"

// BlobHeader.flags
constexpr uint32_t kPolicyPermissive = 0x1;      // policy-wide permissive mode
constexpr uint32_t kPolicyFirstApplicable = 0x2;  // else deny-overrides
constexpr uint32_t kPolicyDefaultDeny = 0x4;      // else default permit
constexpr uint32_t kPolicyAuditDefault = 0x8;     // audit default decisions
constexpr uint32_t kPolicyAnyDevice = 0x10;       // device_id not checked
constexpr uint32_t kPolicyAuditFailClosed = 0x20;  // full ring denies audited
constexpr uint32_t kPolicyRefuseWeakBoot = 0x40;  // weak cmdline: no boot
constexpr uint32_t kPolicyKnownFlags = 0x7f;

struct BlobHeader {
  uint32_t magic;
  uint16_t format_version;
  uint16_t header_size;  // sizeof(BlobHeader)
  uint32_t total_size;   // whole blob incl. trailing HMAC
  uint32_t policy_version;  // monotonic, rollback protection
  uint32_t flags;           // kPolicy*
  uint32_t n_rules, rules_off;
  uint32_t n_nodes, nodes_off;
  uint32_t n_kids, kids_off;
  uint32_t n_attrs, attrs_off;
  uint32_t n_updates, updates_off;
  uint32_t pool_size, pool_off;
  uint32_t name_off, name_len;  // policy name in the pool
  uint32_t reserved;            // zero
  uint8_t device_id[kDeviceIdLen];  // target device; zero with kPolicyAnyDevice
};
static_assert(sizeof(BlobHeader) == 96, "BlobHeader");

// BlobRule.flags
constexpr uint8_t kRulePermissive = 0x1;  // decide and audit, but allow
constexpr uint8_t kRuleAudit = 0x2;       // append to the secure audit log
constexpr uint8_t kRuleSession = 0x4;     // a permit opens a usage session

constexpr uint8_t kEffectPermit = 0;
constexpr uint8_t kEffectDeny = 1;

struct BlobRule {
  uint32_t id;         // user-visible, unique, non-zero
  uint32_t name_hash;  // fnv1a32(name): remaps sessions across swaps
  uint16_t hook;       // TZU_HOOK_*
  uint8_t effect;      // kEffect*
  uint8_t flags;       // kRule*
  uint32_t target;     // node index or kNone (= always true)
  uint32_t condition;  // node over global attributes only, or kNone
  uint32_t ongoing;    // node re-checked for live sessions, or kNone
  uint32_t obligations;  // TZU_OBL_* (kRuleAudit implies TZU_OBL_AUDIT)
  uint32_t notify_code;
  uint32_t pre_first, pre_count;    // updates applied at decision time
  uint32_t post_first, post_count;  // updates applied when usage ends
  uint32_t name_off, name_len;      // rule name in the pool
};
static_assert(sizeof(BlobRule) == 56, "BlobRule");

// BlobNode.op
enum : uint8_t {
  kOpTrue = 1,
  kOpFalse,
  kOpAnd,      // a = first kids[] index, b = count (>= 1)
  kOpOr,       // a = first kids[] index, b = count (>= 1)
  kOpNot,      // a = child node index
  kOpEq,
  kOpNe,
  kOpLt,
  kOpLe,
  kOpGt,
  kOpGe,
  kOpIn,       // lhs in set (rhs kOperandSet, or a set attribute)
  kOpPrefix,   // bytes lhs starts with bytes rhs
  kOpBitsAll,  // (lhs & rhs) == rhs
  kOpBitsAny,  // (lhs & rhs) != 0
  kOpRange,    // lo <= lhs <= hi (rhs kOperandRange)
  kOpPresent,  // attribute has a value for this key (lhs attr)
  kOpLast = kOpPresent,
};

// operand kinds
enum : uint8_t {
  kOperandNone = 0,
  kOperandField,
  kOperandAttr,
  kOperandInt,
  kOperandBytes,
  kOperandSet,
  kOperandRange,
};

struct BlobNode {
  uint8_t op;
  uint8_t lhs_kind;  // kOperandField / kOperandAttr / kOperandNone
  uint16_t lhs;      // field id or attr index
  uint8_t rhs_kind;
  uint8_t pad[3];
  uint32_t a;
  uint32_t b;
};
static_assert(sizeof(BlobNode) == 16, "BlobNode");

// BlobAttr.scope: TZU_ATTR_SCOPE_*; BlobAttr.type:
constexpr uint8_t kAttrInt = 1;
constexpr uint8_t kAttrSet = 2;  // set of int64, at most kMaxSetMembers
// BlobAttr.key for subject attributes:
constexpr uint8_t kKeyTgid = 1;  // per process
constexpr uint8_t kKeyExe = 2;   // per executable (exe_dev, exe_ino)
constexpr uint8_t kKeyField = 3;  // object attrs: value of key_field

// BlobAttr.writer: who may change the attribute's value.
constexpr uint8_t kWriterEngine = 0;  // only rule pre/post-updates
constexpr uint8_t kWriterSecure = 1;  // only the secure world's measurements
constexpr uint8_t kWriterAdmin = 2;   // only UPDATE_ATTR with an admin auth

struct BlobAttr {
  uint8_t scope;
  uint8_t type;
  uint8_t key;
  uint8_t writer;  // kWriter*
  uint16_t key_field;  // field id when key == kKeyField
  uint16_t pad2;
  int64_t initial;     // value of an absent int attribute
  uint32_t max_entries;  // instances allowed (globals: 1)
  uint32_t name_hash;    // fnv1a32(name): keeps values across swaps
  uint32_t name_off, name_len;
};
static_assert(sizeof(BlobAttr) == 32, "BlobAttr");

struct BlobUpdate {
  uint16_t attr;       // attr index
  uint8_t op;          // TZU_ATTR_OP_*
  uint8_t value_kind;  // kOperandInt or kOperandField (CLEAR: kOperandNone)
  uint32_t pad;
  int64_t value;       // constant, or field id
};
static_assert(sizeof(BlobUpdate) == 16, "BlobUpdate");

}  // namespace ucon

#endif  // UCON_ENGINE_BLOB_FORMAT_H
