// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// crypto_test.cc - SHA-256 against FIPS 180-4 / CAVP vectors, HMAC-SHA256
// against RFC 4231, and the constant-time comparison.
#include "crypto.h"

#include <gtest/gtest.h>

#include <stdint.h>

#include <string>
#include <vector>

namespace ucon {
namespace {

std::vector<uint8_t> from_hex(const std::string& hex) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

std::string to_hex(const uint8_t* p, size_t n) {
  static const char kDigits[] = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    s += kDigits[p[i] >> 4];
    s += kDigits[p[i] & 0xf];
  }
  return s;
}

std::string sha256_hex(const std::string& msg) {
  uint8_t d[kSha256Len];
  sha256(msg.data(), msg.size(), d);
  return to_hex(d, sizeof(d));
}

// FIPS 180-4 examples (NIST CSRC "Cryptographic Standards and Guidelines:
// Examples with Intermediate Values", SHA-256).
TEST(Sha256, FipsEmptyMessage) {
  EXPECT_EQ(sha256_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, FipsAbc) {
  EXPECT_EQ(sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, Fips448BitMessage) {
  EXPECT_EQ(
      sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, Fips896BitMessage) {
  EXPECT_EQ(sha256_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                       "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST(Sha256, FipsOneMillionA) {
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, OneMillionAInOddChunks) {
  // 997 is prime: chunk edges fall on every offset within a block.
  Sha256 s;
  const std::string chunk(997, 'a');
  size_t left = 1000000;
  while (left > 0) {
    const size_t n = left < chunk.size() ? left : chunk.size();
    s.update(chunk.data(), n);
    left -= n;
  }
  uint8_t d[kSha256Len];
  s.final(d);
  EXPECT_EQ(to_hex(d, sizeof(d)),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// NIST's additional SHA-256 examples (csrc.nist.gov, SHA2_Additional.pdf):
// long messages of one repeated byte, across many blocks and odd tails.
TEST(Sha256, NistAdditionalLongMessages) {
  EXPECT_EQ(sha256_hex(std::string(1000, 'A')),
            "c2e686823489ced2017f6059b8b239318b6364f6dcd835d0a519105a1eadd6e4");
  EXPECT_EQ(sha256_hex(std::string(1005, 'U')),
            "f4d62ddec0f3dd90ea1380fa16a5ff8dc4c54b21740650f24afc4120903552b0");
  EXPECT_EQ(sha256_hex(std::string(1000000, '\0')),
            "d29751f2649b32ff572b5e0a9f541ea660a50f94ff0beedfb0b692b924cc8025");
}

// CAVP SHA256ShortMsg.rsp, Len = 8 and Len = 16.
TEST(Sha256, CavpShortMessages) {
  const std::vector<uint8_t> m8 = from_hex("d3");
  const std::vector<uint8_t> m16 = from_hex("11af");
  uint8_t d[kSha256Len];
  sha256(m8.data(), m8.size(), d);
  EXPECT_EQ(to_hex(d, sizeof(d)),
            "28969cdfa74a12c82f3bad960b0b000aca2ac329deea5c2328ebc6f2ba9802c1");
  sha256(m16.data(), m16.size(), d);
  EXPECT_EQ(to_hex(d, sizeof(d)),
            "5ca7133fa735326081558ac312c620eeca9970d1e70a4b95533d956f072d1f98");
}

// Lengths around the padding boundaries (55/56: length field fits or spills
// into a second block; 63/64/65: block edge). Reference digests from an
// independent implementation (Python hashlib).
TEST(Sha256, PaddingBoundaries) {
  const struct {
    size_t n;
    const char* hex;
  } kCases[] = {
      {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
      {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
      {57, "f13b2d724659eb3bf47f2dd6af1accc87b81f09f59f2b75e5c0bed6589dfe8c6"},
      {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
      {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
      {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
      {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
      {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(sha256_hex(std::string(c.n, 'a')), c.hex) << "length " << c.n;
  }
}

TEST(Sha256, IncrementalEqualsOneShotAtEverySplit) {
  // 200 bytes = three blocks + 8: every two-cut split crosses block edges.
  std::vector<uint8_t> msg(200);
  for (size_t i = 0; i < msg.size(); ++i) {
    msg[i] = static_cast<uint8_t>(i * 131u + 7u);
  }
  uint8_t want[kSha256Len];
  sha256(msg.data(), msg.size(), want);
  for (size_t a = 0; a <= msg.size(); a += 3) {
    for (size_t b = a; b <= msg.size(); b += 5) {
      Sha256 s;
      s.update(msg.data(), a);
      s.update(msg.data() + a, b - a);
      s.update(msg.data() + b, msg.size() - b);
      uint8_t got[kSha256Len];
      s.final(got);
      ASSERT_EQ(to_hex(got, sizeof(got)), to_hex(want, sizeof(want)))
          << "split at " << a << "," << b;
    }
  }
}

TEST(Sha256, ByteByByteUpdate) {
  const std::string msg =
      "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
      "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
  Sha256 s;
  for (char c : msg) s.update(&c, 1);
  uint8_t d[kSha256Len];
  s.final(d);
  EXPECT_EQ(to_hex(d, sizeof(d)),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST(Sha256, ReusableAfterFinal) {
  Sha256 s;
  s.update("some earlier message", 20);
  uint8_t d[kSha256Len];
  s.final(d);
  s.update("abc", 3);
  s.final(d);
  EXPECT_EQ(to_hex(d, sizeof(d)),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, ResetDiscardsPartialInput) {
  Sha256 s;
  s.update("garbage that must not count", 27);
  s.reset();
  s.update("abc", 3);
  uint8_t d[kSha256Len];
  s.final(d);
  EXPECT_EQ(to_hex(d, sizeof(d)),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

struct HmacCase {
  const char* name;
  std::vector<uint8_t> key;
  std::vector<uint8_t> data;
  const char* mac_hex;  // RFC 4231 value (test case 5: first 128 bits)
};

std::vector<uint8_t> bytes(const std::string& s) {
  return std::vector<uint8_t>(s.begin(), s.end());
}

std::vector<HmacCase> rfc4231_cases() {
  std::vector<uint8_t> key4;
  for (uint8_t i = 1; i <= 25; ++i) key4.push_back(i);
  return {
      {"1", std::vector<uint8_t>(20, 0x0b), bytes("Hi There"),
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"2", bytes("Jefe"), bytes("what do ya want for nothing?"),
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {"3", std::vector<uint8_t>(20, 0xaa), std::vector<uint8_t>(50, 0xdd),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {"4", key4, std::vector<uint8_t>(50, 0xcd),
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      {"5", std::vector<uint8_t>(20, 0x0c), bytes("Test With Truncation"),
       "a3b6167473100ee06e0c796c2955552b"},
      {"6", std::vector<uint8_t>(131, 0xaa),
       bytes("Test Using Larger Than Block-Size Key - Hash Key First"),
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {"7", std::vector<uint8_t>(131, 0xaa),
       bytes("This is a test using a larger than block-size key and a larger "
             "than block-size data. The key needs to be hashed before being "
             "used by the HMAC algorithm."),
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  };
}

TEST(HmacSha256, Rfc4231TestCases) {
  for (const HmacCase& c : rfc4231_cases()) {
    uint8_t mac[kSha256Len];
    hmac_sha256(c.key.data(), c.key.size(), c.data.data(), c.data.size(), mac);
    const std::string want = c.mac_hex;
    EXPECT_EQ(to_hex(mac, want.size() / 2), want) << "RFC 4231 case " << c.name;
  }
}

TEST(HmacSha256, StreamingEqualsOneShot) {
  for (const HmacCase& c : rfc4231_cases()) {
    HmacSha256 h(c.key.data(), c.key.size());
    for (uint8_t byte : c.data) h.update(&byte, 1);
    uint8_t streamed[kSha256Len];
    h.final(streamed);
    uint8_t one_shot[kSha256Len];
    hmac_sha256(c.key.data(), c.key.size(), c.data.data(), c.data.size(),
                one_shot);
    EXPECT_EQ(to_hex(streamed, kSha256Len), to_hex(one_shot, kSha256Len))
        << "RFC 4231 case " << c.name;
  }
}

TEST(HmacSha256, KeyOfExactlyOneBlockIsNotHashed) {
  // A 64-byte key is used as is; hashing it first (as for 65+ bytes) gives a
  // different MAC. Pins the boundary of RFC 2104's "longer than B" rule.
  const std::vector<uint8_t> key(64, 0x42);
  const std::vector<uint8_t> data = bytes("boundary");
  uint8_t mac[kSha256Len];
  hmac_sha256(key.data(), key.size(), data.data(), data.size(), mac);
  uint8_t hashed_key[kSha256Len];
  sha256(key.data(), key.size(), hashed_key);
  uint8_t mac_hashed[kSha256Len];
  hmac_sha256(hashed_key, sizeof(hashed_key), data.data(), data.size(),
              mac_hashed);
  EXPECT_NE(to_hex(mac, kSha256Len), to_hex(mac_hashed, kSha256Len));

  const std::vector<uint8_t> long_key(65, 0x42);
  uint8_t mac_long[kSha256Len];
  hmac_sha256(long_key.data(), long_key.size(), data.data(), data.size(),
              mac_long);
  sha256(long_key.data(), long_key.size(), hashed_key);
  hmac_sha256(hashed_key, sizeof(hashed_key), data.data(), data.size(),
              mac_hashed);
  EXPECT_EQ(to_hex(mac_long, kSha256Len), to_hex(mac_hashed, kSha256Len));
}

TEST(CtEqual, EqualAndDifferentBuffers) {
  uint8_t a[40];
  uint8_t b[40];
  for (uint8_t i = 0; i < 40; ++i) a[i] = b[i] = static_cast<uint8_t>(i * 7u);
  EXPECT_TRUE(ct_equal(a, b, sizeof(a)));
  EXPECT_TRUE(ct_equal(a, b, 0));
  for (size_t i = 0; i < sizeof(a); ++i) {
    for (uint8_t bit = 0; bit < 8; ++bit) {
      b[i] = static_cast<uint8_t>(b[i] ^ (1u << bit));
      EXPECT_FALSE(ct_equal(a, b, sizeof(a))) << "byte " << i << " bit " << +bit;
      b[i] = static_cast<uint8_t>(b[i] ^ (1u << bit));
    }
  }
  // Only the first len bytes count.
  b[39] = static_cast<uint8_t>(b[39] + 1);
  EXPECT_TRUE(ct_equal(a, b, 39));
  EXPECT_FALSE(ct_equal(a, b, 40));
}

}  // namespace
}  // namespace ucon
