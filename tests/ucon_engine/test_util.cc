// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// test_util.cc - hand assembly of policy blobs for engine tests.
#include "test_util.h"

#include <cstring>
#include <stdexcept>

#include "crypto.h"
#include "ed25519.h"
#include "fields.h"

namespace ucon_test {

const std::vector<std::uint8_t> kTestKey(32, 0x5a);
const std::vector<std::uint8_t> kTestDeviceId = {
    0xd0, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
    0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0xdf};

std::vector<std::uint8_t> public_key(const std::vector<std::uint8_t>& seed) {
  if (seed.size() != ucon::kEd25519SeedLen)
    throw std::runtime_error("ed25519 seed must be 32 bytes");
  std::vector<std::uint8_t> pub(ucon::kEd25519PublicKeyLen);
  ucon::ed25519_public_key(seed.data(), pub.data());
  return pub;
}

const std::vector<std::uint8_t>& test_policy_pub() {
  static const std::vector<std::uint8_t> pub = public_key(kTestKey);
  return pub;
}

void sign_blob(std::vector<std::uint8_t>* blob,
               const std::vector<std::uint8_t>& seed) {
  if (blob->size() < ucon::kBlobSigLen)
    throw std::runtime_error("blob shorter than its signature");
  const std::size_t body = blob->size() - ucon::kBlobSigLen;
  const std::vector<std::uint8_t> pub = public_key(seed);
  ucon::ed25519_sign(seed.data(), pub.data(), blob->data(), body,
                     blob->data() + body);
}

void BlobBuilder::any_device() {
  flags |= ucon::kPolicyAnyDevice;
  device_id.assign(ucon::kDeviceIdLen, 0);
}

void BlobBuilder::set_writer(std::uint32_t attr, std::uint8_t writer) {
  attrs.at(attr).writer = writer;
}

std::uint16_t field_id(const char* name) {
  const ucon::FieldInfo* f = ucon::field_by_name(name, std::strlen(name));
  if (!f) throw std::runtime_error(std::string("no field ") + name);
  return f->id;
}

std::uint32_t BlobBuilder::node(std::uint8_t op, std::uint8_t lhs_kind,
                                std::uint16_t lhs, std::uint8_t rhs_kind,
                                std::uint32_t a, std::uint32_t b) {
  BlobNode n{};
  n.op = op;
  n.lhs_kind = lhs_kind;
  n.lhs = lhs;
  n.rhs_kind = rhs_kind;
  n.a = a;
  n.b = b;
  nodes.push_back(n);
  return static_cast<std::uint32_t>(nodes.size() - 1);
}

static void split(std::int64_t v, std::uint32_t* a, std::uint32_t* b) {
  std::uint64_t u = static_cast<std::uint64_t>(v);
  *a = static_cast<std::uint32_t>(u);
  *b = static_cast<std::uint32_t>(u >> 32);
}

std::uint32_t BlobBuilder::field_cmp(std::uint8_t op, const char* field,
                                     std::int64_t v) {
  std::uint32_t a, b;
  split(v, &a, &b);
  return node(op, ucon::kOperandField, field_id(field), ucon::kOperandInt, a, b);
}

std::uint32_t BlobBuilder::field_eq(const char* field, std::int64_t v) {
  return field_cmp(ucon::kOpEq, field, v);
}

std::uint32_t BlobBuilder::attr_cmp(std::uint8_t op, std::uint32_t attr,
                                    std::int64_t v) {
  std::uint32_t a, b;
  split(v, &a, &b);
  return node(op, ucon::kOperandAttr, static_cast<std::uint16_t>(attr),
              ucon::kOperandInt, a, b);
}

std::uint32_t BlobBuilder::pool_bytes(const void* p, std::size_t n) {
  while (pool.size() % 8) pool.push_back(0);
  std::uint32_t off = static_cast<std::uint32_t>(pool.size());
  const auto* c = static_cast<const std::uint8_t*>(p);
  pool.insert(pool.end(), c, c + n);
  return off;
}

std::uint32_t BlobBuilder::field_str_eq(const char* field,
                                        const std::string& s) {
  std::uint32_t off = pool_bytes(s.data(), s.size());
  return node(ucon::kOpEq, ucon::kOperandField, field_id(field),
              ucon::kOperandBytes, off, static_cast<std::uint32_t>(s.size()));
}

std::uint32_t BlobBuilder::field_in(const char* field,
                                    const std::vector<std::int64_t>& v) {
  std::vector<std::uint8_t> set(8 + 8 * v.size());
  std::uint32_t count = static_cast<std::uint32_t>(v.size());
  std::uint32_t kind = ucon::kOperandInt;
  std::memcpy(set.data(), &count, 4);
  std::memcpy(set.data() + 4, &kind, 4);
  for (std::size_t i = 0; i < v.size(); ++i)
    std::memcpy(set.data() + 8 + 8 * i, &v[i], 8);
  std::uint32_t off = pool_bytes(set.data(), set.size());
  return node(ucon::kOpIn, ucon::kOperandField, field_id(field),
              ucon::kOperandSet, off, 0);
}

std::uint32_t BlobBuilder::field_in_str(const char* field,
                                        const std::vector<std::string>& v) {
  std::vector<std::uint32_t> offs;
  for (const auto& s : v) offs.push_back(pool_bytes(s.data(), s.size()));
  std::vector<std::uint8_t> set(8 + 8 * v.size());
  std::uint32_t count = static_cast<std::uint32_t>(v.size());
  std::uint32_t kind = ucon::kOperandBytes;
  std::memcpy(set.data(), &count, 4);
  std::memcpy(set.data() + 4, &kind, 4);
  for (std::size_t i = 0; i < v.size(); ++i) {
    std::uint32_t len = static_cast<std::uint32_t>(v[i].size());
    std::memcpy(set.data() + 8 + 8 * i, &offs[i], 4);
    std::memcpy(set.data() + 12 + 8 * i, &len, 4);
  }
  std::uint32_t off = pool_bytes(set.data(), set.size());
  return node(ucon::kOpIn, ucon::kOperandField, field_id(field),
              ucon::kOperandSet, off, 0);
}

std::uint32_t BlobBuilder::all(const std::vector<std::uint32_t>& k) {
  std::uint32_t first = static_cast<std::uint32_t>(kids.size());
  kids.insert(kids.end(), k.begin(), k.end());
  return node(ucon::kOpAnd, 0, 0, 0, first, static_cast<std::uint32_t>(k.size()));
}

std::uint32_t BlobBuilder::any(const std::vector<std::uint32_t>& k) {
  std::uint32_t first = static_cast<std::uint32_t>(kids.size());
  kids.insert(kids.end(), k.begin(), k.end());
  return node(ucon::kOpOr, 0, 0, 0, first, static_cast<std::uint32_t>(k.size()));
}

std::uint32_t BlobBuilder::negate(std::uint32_t kid) {
  return node(ucon::kOpNot, 0, 0, 0, kid, 0);
}

std::uint32_t BlobBuilder::attr(const std::string& name, std::uint8_t scope,
                                std::uint8_t type, std::uint8_t key,
                                std::uint16_t key_field, std::int64_t initial,
                                std::uint32_t max_entries) {
  BlobAttr a{};
  a.scope = scope;
  a.type = type;
  a.key = key;
  a.key_field = key_field;
  a.initial = initial;
  a.max_entries = max_entries;
  a.name_hash = ucon::fnv1a32(name.data(), name.size());
  a.name_off = pool_bytes(name.data(), name.size());
  a.name_len = static_cast<std::uint32_t>(name.size());
  attrs.push_back(a);
  return static_cast<std::uint32_t>(attrs.size() - 1);
}

std::uint32_t BlobBuilder::update(std::uint32_t attr, std::uint8_t op,
                                  std::int64_t value, std::uint8_t value_kind) {
  BlobUpdate u{};
  u.attr = static_cast<std::uint16_t>(attr);
  u.op = op;
  u.value_kind = op == TZU_ATTR_OP_CLEAR ? 0 : value_kind;
  u.value = value;
  updates.push_back(u);
  return static_cast<std::uint32_t>(updates.size() - 1);
}

BlobRule& BlobBuilder::rule(std::uint32_t id, std::uint32_t hook,
                            std::uint8_t effect, std::uint32_t target) {
  BlobRule r{};
  r.id = id;
  std::string name = "rule" + std::to_string(id);
  r.name_hash = ucon::fnv1a32(name.data(), name.size());
  r.hook = static_cast<std::uint16_t>(hook);
  r.effect = effect;
  r.target = target;
  r.condition = ucon::kNone;
  r.ongoing = ucon::kNone;
  r.name_off = pool_bytes(name.data(), name.size());
  r.name_len = static_cast<std::uint32_t>(name.size());
  rules.push_back(r);
  return rules.back();
}

namespace {
template <typename T>
std::uint32_t put(std::vector<std::uint8_t>* out, const std::vector<T>& v) {
  while (out->size() % 8) out->push_back(0);
  std::uint32_t off = static_cast<std::uint32_t>(out->size());
  const auto* p = reinterpret_cast<const std::uint8_t*>(v.data());
  out->insert(out->end(), p, p + v.size() * sizeof(T));
  return off;
}
}  // namespace

std::vector<std::uint8_t> BlobBuilder::build(
    const std::vector<std::uint8_t>& key) const {
  std::vector<std::uint8_t> out(sizeof(ucon::BlobHeader));
  ucon::BlobHeader h{};
  h.magic = ucon::kBlobMagic;
  h.format_version = ucon::kBlobFormatVersion;
  h.header_size = sizeof(h);
  h.policy_version = version;
  h.flags = flags;
  h.n_rules = static_cast<std::uint32_t>(rules.size());
  h.rules_off = put(&out, rules);
  h.n_nodes = static_cast<std::uint32_t>(nodes.size());
  h.nodes_off = put(&out, nodes);
  h.n_kids = static_cast<std::uint32_t>(kids.size());
  h.kids_off = put(&out, kids);
  h.n_attrs = static_cast<std::uint32_t>(attrs.size());
  h.attrs_off = put(&out, attrs);
  h.n_updates = static_cast<std::uint32_t>(updates.size());
  h.updates_off = put(&out, updates);
  h.pool_size = static_cast<std::uint32_t>(pool.size());
  h.pool_off = put(&out, pool);
  while (out.size() % 8) out.push_back(0);
  h.total_size = static_cast<std::uint32_t>(out.size() + ucon::kBlobSigLen);
  if (device_id.size() != ucon::kDeviceIdLen)
    throw std::runtime_error("device id must be 16 bytes");
  std::memcpy(h.device_id, device_id.data(), ucon::kDeviceIdLen);
  std::memcpy(out.data(), &h, sizeof(h));
  out.resize(out.size() + ucon::kBlobSigLen);
  sign_blob(&out, key);
  return out;
}

tzu_event make_event(std::uint32_t hook, std::uint32_t tgid) {
  tzu_event ev{};
  ev.hdr.magic = TZU_MAGIC;
  ev.hdr.version = TZU_ABI_VERSION;
  ev.hdr.command = TZU_CMD_DECIDE;
  ev.hdr.size = sizeof(ev);
  ev.hook = hook;
  ev.seq = 1;
  ev.subject.pid = tgid;
  ev.subject.tgid = tgid;
  return ev;
}

TestEngine::TestEngine(const ucon::EngineConfig& cfg,
                       const std::vector<std::uint8_t>& device_id)
    : arena_(ucon::Engine::arena_bytes(cfg) / 8 + 1) {
  if (device_id.size() != ucon::kDeviceIdLen)
    throw std::runtime_error("device id must be 16 bytes");
  ucon::Status s = engine_.init(arena_.data(), arena_.size() * 8, cfg,
                                test_policy_pub().data(), device_id.data());
  if (s != ucon::Status::kOk) throw std::runtime_error("engine init failed");
}

ucon::Status TestEngine::load(const std::vector<std::uint8_t>& blob) {
  ucon::LoadResult r;
  return engine_.load_policy(blob.data(), blob.size(), &r);
}

tzu_decision TestEngine::decide(const tzu_event& ev) {
  tzu_decision d;
  engine_.decide(ev, &d);
  return d;
}

}  // namespace ucon_test
