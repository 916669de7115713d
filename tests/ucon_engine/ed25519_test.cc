// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// ed25519_test.cc - SHA-512 against FIPS 180-4 examples, Ed25519 against the
// RFC 8032 section 7.1 vectors, and the encodings verification must refuse.
#include "ed25519.h"

#include <gtest/gtest.h>

#include <stdint.h>

#include <string>
#include <vector>

#include "sha512.h"

namespace ucon {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes from_hex(const std::string& hex) {
  Bytes out;
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

std::string sha512_hex(const std::string& msg) {
  uint8_t d[kSha512Len];
  sha512(msg.data(), msg.size(), d);
  return to_hex(d, sizeof(d));
}

// FIPS 180-4 / NIST CSRC example values for SHA-512.
TEST(Sha512, Abc) {
  EXPECT_EQ(sha512_hex("abc"),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
}

TEST(Sha512, Empty) {
  EXPECT_EQ(sha512_hex(""),
            "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
            "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
}

// 896 bits: the padding no longer fits the first block.
TEST(Sha512, TwoBlocks) {
  EXPECT_EQ(sha512_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                       "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
            "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
            "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
}

// A million 'a' fed in uneven pieces, to exercise the partial-block path.
TEST(Sha512, MillionA) {
  const std::string chunk(997, 'a');
  Sha512 s;
  size_t left = 1000000;
  while (left > 0) {
    const size_t n = left < chunk.size() ? left : chunk.size();
    s.update(chunk.data(), n);
    left -= n;
  }
  uint8_t d[kSha512Len];
  s.final(d);
  EXPECT_EQ(to_hex(d, sizeof(d)),
            "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
            "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
}

TEST(Sha512, SplitEqualsOneShot) {
  std::string msg;
  for (int i = 0; i < 300; ++i) msg += static_cast<char>(i * 7);
  for (size_t cut = 0; cut <= msg.size(); cut += 17) {
    Sha512 s;
    s.update(msg.data(), cut);
    s.update(msg.data() + cut, msg.size() - cut);
    uint8_t d[kSha512Len];
    s.final(d);
    EXPECT_EQ(to_hex(d, sizeof(d)), sha512_hex(msg)) << "cut " << cut;
  }
}

// RFC 8032 7.1, TEST 1024: 1023 bytes.
const char kTest1024Msg[] =
    "08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98"
    "fa6e264bf09efe12ee50f8f54e9f77b1e355f6c50544e23fb1433ddf73be84d8"
    "79de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d"
    "658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc"
    "1a858efcb8550ee3a5e1998bd177e93a7363c344fe6b199ee5d02e82d522c4fe"
    "ba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e"
    "06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbef"
    "efd75499da96bd68a8a97b928a8bbc103b6621fcde2beca1231d206be6cd9ec7"
    "aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1"
    "85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2"
    "d17ba70eb6248e594e1a2297acbbb39d502f1a8c6eb6f1ce22b3de1a1f40cc24"
    "554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270"
    "88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc"
    "2732e69485bbc9c90bfbd62481d9089beccf80cfe2df16a2cf65bd92dd597b07"
    "07e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba"
    "b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51a"
    "ddd3b75a2b1ae0784504df543af8969be3ea7082ff7fc9888c144da2af58429e"
    "c96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7"
    "51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c"
    "42f58c30c04aafdb038dda0847dd988dcda6f3bfd15c4b4c4525004aa06eeff8"
    "ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df"
    "f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08"
    "d78ff4ef5d63653a65040cf9bfd4aca7984a74d37145986780fc0b16ac451649"
    "de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4"
    "88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a3"
    "2ef5b52a1ecc820e308aa342721aac0943bf6686b64b2579376504ccc493d97e"
    "6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f"
    "b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b5"
    "0d334ba77c225bc307ba537152f3f1610e4eafe595f6d9d90d11faa933a15ef1"
    "369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d"
    "b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c"
    "0618983f8741c5ef68d3a101e8a3b8cac60c905c15fc910840b94c00a0b9d0";

struct Vector {
  const char* name;
  const char* seed;
  const char* pub;
  const char* msg;
  const char* sig;
};

// RFC 8032 section 7.1, Ed25519.
const Vector kRfcVectors[] = {
    {"TEST 1", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
     "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
     "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"TEST 2", "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
     "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
     "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"TEST 3", "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
     "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
     "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
    {"TEST 1024", "f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
     "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
     kTest1024Msg,
     "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350"
     "aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03"},
    {"TEST SHA(abc)", "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
     "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
     "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
     "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"},
};

struct Parsed {
  Bytes seed, pub, msg, sig;
};

Parsed parse(const Vector& v) {
  return {from_hex(v.seed), from_hex(v.pub), from_hex(v.msg), from_hex(v.sig)};
}

bool verify(const Bytes& pub, const Bytes& msg, const Bytes& sig) {
  return ed25519_verify(pub.data(), msg.data(), msg.size(), sig.data());
}

TEST(Ed25519, Rfc8032PublicKey) {
  for (const Vector& v : kRfcVectors) {
    const Parsed p = parse(v);
    uint8_t pub[kEd25519PublicKeyLen];
    ed25519_public_key(p.seed.data(), pub);
    EXPECT_EQ(to_hex(pub, sizeof(pub)), v.pub) << v.name;
  }
}

TEST(Ed25519, Rfc8032Sign) {
  for (const Vector& v : kRfcVectors) {
    const Parsed p = parse(v);
    uint8_t sig[kEd25519SignatureLen];
    ed25519_sign(p.seed.data(), p.pub.data(), p.msg.data(), p.msg.size(), sig);
    EXPECT_EQ(to_hex(sig, sizeof(sig)), std::string(v.sig)) << v.name;
  }
}

TEST(Ed25519, Rfc8032Verify) {
  for (const Vector& v : kRfcVectors) {
    const Parsed p = parse(v);
    EXPECT_TRUE(verify(p.pub, p.msg, p.sig)) << v.name;
  }
}

TEST(Ed25519, FlippedMessageBitRejected) {
  for (const Vector& v : kRfcVectors) {
    Parsed p = parse(v);
    if (p.msg.empty()) {
      p.msg.push_back(0);  // TEST 1 signs the empty message
    } else {
      p.msg[p.msg.size() / 2] ^= 0x10;
    }
    EXPECT_FALSE(verify(p.pub, p.msg, p.sig)) << v.name;
  }
}

// Every single-bit change of a signature, R and S alike, is refused.
TEST(Ed25519, EveryFlippedSignatureBitRejected) {
  const Parsed p = parse(kRfcVectors[1]);
  for (size_t bit = 0; bit < 8 * kEd25519SignatureLen; ++bit) {
    Bytes sig = p.sig;
    sig[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    EXPECT_FALSE(verify(p.pub, p.msg, sig)) << "bit " << bit;
  }
}

TEST(Ed25519, EveryFlippedPublicKeyBitRejected) {
  const Parsed p = parse(kRfcVectors[2]);
  for (size_t bit = 0; bit < 8 * kEd25519PublicKeyLen; ++bit) {
    Bytes pub = p.pub;
    pub[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    EXPECT_FALSE(verify(pub, p.msg, p.sig)) << "bit " << bit;
  }
}

// S and S + L act identically on B; RFC 8032 5.1.7 demands S < L so that a
// signature has exactly one encoding of S.
TEST(Ed25519, SPlusLRejected) {
  static const uint8_t kL[32] = {
      0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
      0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0x10};
  for (const Vector& v : kRfcVectors) {
    Parsed p = parse(v);
    unsigned carry = 0;
    for (size_t i = 0; i < 32; ++i) {
      carry += p.sig[32 + i] + kL[i];
      p.sig[32 + i] = static_cast<uint8_t>(carry);
      carry >>= 8;
    }
    ASSERT_EQ(carry, 0u);
    EXPECT_FALSE(verify(p.pub, p.msg, p.sig)) << v.name;
  }
}

TEST(Ed25519, SEqualToLRejected) {
  const Parsed p = parse(kRfcVectors[0]);
  Bytes sig = p.sig;
  const Bytes l = from_hex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
  for (size_t i = 0; i < 32; ++i) sig[32 + i] = l[i];
  EXPECT_FALSE(verify(p.pub, p.msg, sig));
}

// (R, S) = (identity, k a) under TEST 1's key satisfies [S]B = R + [k]A.
// Encoded canonically as y = 1 it verifies; encoded as y = p + 1, which a
// decoder that skips the y < p check maps to the same point, it must not.
// Both signatures were computed offline with k = SHA-512(R || A || M) mod L.
TEST(Ed25519, NonCanonicalRRejected) {
  const Parsed p = parse(kRfcVectors[0]);
  const std::string m = "identity R";
  const Bytes msg(m.begin(), m.end());
  EXPECT_TRUE(verify(p.pub, msg,
                     from_hex("0100000000000000000000000000000000000000000000000000000000000000"
                              "cb31e99a3154231387852f4fd83481101ef00930f414baa54fbdbfcd96306e09")));
  EXPECT_FALSE(verify(p.pub, msg,
                      from_hex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"
                               "7ae664a30db6919f8e007ebf5f9861c5eac5073466a5b1f2b30e4ce533a00a04")));
}

// y = p + y0 for every y0 < 19, with either sign bit: never accepted as A,
// even where y0 itself is a valid y (0, 1, 3, 4, 5, 6, 9, 10, ...).
TEST(Ed25519, NonCanonicalARejected) {
  const Parsed p = parse(kRfcVectors[0]);
  for (unsigned y0 = 0; y0 < 19; ++y0) {
    for (unsigned sign = 0; sign < 2; ++sign) {
      Bytes pub(32, 0xff);
      pub[0] = static_cast<uint8_t>(0xed + y0);
      pub[31] = static_cast<uint8_t>(sign ? 0xff : 0x7f);
      EXPECT_FALSE(verify(pub, p.msg, p.sig)) << "y0 " << y0 << " sign " << sign;
    }
  }
}

// x = 0 with the sign bit set is not an encoding (RFC 8032 5.1.3 step 4).
TEST(Ed25519, NegativeZeroXRejected) {
  const Parsed p = parse(kRfcVectors[0]);
  Bytes pub = from_hex("0100000000000000000000000000000000000000000000000000000000000080");
  EXPECT_FALSE(verify(pub, p.msg, p.sig));
}

struct SmallOrderForgery {
  const char* pub;
  const char* msg;
};

// Each of the eight points of order 1, 2, 4 or 8, with a message chosen
// offline so that [k]A is the identity: then (R, S) = ([S]B, S) satisfies
// the cofactorless equation. Only the small-order check refuses them.
const SmallOrderForgery kSmallOrder[] = {
    {"0100000000000000000000000000000000000000000000000000000000000000", "small order 0"},
    {"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "small order 1"},
    {"0000000000000000000000000000000000000000000000000000000000000000", "small order 2"},
    {"0000000000000000000000000000000000000000000000000000000000000080", "small order 0"},
    {"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa", "small order 2"},
    {"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", "small order 5"},
    {"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85", "small order 2"},
    {"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", "small order 7"},
};

TEST(Ed25519, SmallOrderPublicKeyRejected) {
  // S = 12345, R = [S]B.
  const Bytes sig = from_hex(
      "ef4f62f8479733ad879cfaced3c89a9c39dd4fc795ef2efa1c3eafe4d729a081"
      "3930000000000000000000000000000000000000000000000000000000000000");
  for (const SmallOrderForgery& f : kSmallOrder) {
    const std::string m = f.msg;
    EXPECT_FALSE(verify(from_hex(f.pub), Bytes(m.begin(), m.end()), sig)) << f.pub;
  }
}

TEST(Ed25519, WrongKeyRejected) {
  const Parsed a = parse(kRfcVectors[0]);
  const Parsed b = parse(kRfcVectors[1]);
  EXPECT_FALSE(verify(b.pub, a.msg, a.sig));
}

// Signing must not depend on buffer alignment or reuse state across calls.
TEST(Ed25519, SignVerifyRoundTrip) {
  uint8_t seed[kEd25519SeedLen], pub[kEd25519PublicKeyLen], sig[kEd25519SignatureLen];
  Bytes msg;
  for (unsigned i = 0; i < 40; ++i) {
    for (unsigned j = 0; j < sizeof(seed); ++j) seed[j] = static_cast<uint8_t>(i * 31 + j * 7);
    msg.push_back(static_cast<uint8_t>(i));
    ed25519_public_key(seed, pub);
    ed25519_sign(seed, pub, msg.data(), msg.size(), sig);
    EXPECT_TRUE(ed25519_verify(pub, msg.data(), msg.size(), sig)) << i;
  }
}

}  // namespace
}  // namespace ucon
