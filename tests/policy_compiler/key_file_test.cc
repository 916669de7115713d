// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// key_file_test.cc - Ed25519 key pairs and their file formats: private
// "ed25519-private:<64 hex>\n" created 0600 with O_EXCL, public
// "ed25519-public:<64 hex>\n", device id = SHA-256(public key)[0..16).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "compiler.h"
#include "ed25519.h"
#include "test_util.h"

namespace {

class KeyFile : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/policyc_key_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    for (const char* f : {"/k", "/k.pub", "/bad", "/other.pub"}) std::remove((dir_ + f).c_str());
    rmdir(dir_.c_str());
  }
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + name, std::ios::binary) << text;
  }
  unsigned mode_of(const std::string& name) {
    struct stat st{};
    EXPECT_EQ(stat((dir_ + name).c_str(), &st), 0);
    return st.st_mode & 0777;
  }
  std::string dir_;
};

TEST_F(KeyFile, GeneratedPairsAreRandomAndConsistent) {
  policyc::KeyPair a, b;
  std::string err;
  ASSERT_TRUE(policyc::generate_key_pair(&a, &err)) << err;
  ASSERT_TRUE(policyc::generate_key_pair(&b, &err)) << err;
  EXPECT_NE(a.seed, b.seed);
  EXPECT_EQ(policyc::key_pair_from_seed(a.seed.data()).pub, a.pub);
  std::uint8_t sig[64];
  ucon::ed25519_sign(a.seed.data(), a.pub.data(), "m", 1, sig);
  EXPECT_TRUE(ucon::ed25519_verify(a.pub.data(), "m", 1, sig));
}

TEST_F(KeyFile, WriteThenReadRoundTripsWithModes) {
  const policyc::KeyPair kp = policyc_test::test_key_pair();
  std::string err;
  // A permissive umask must not make the private key readable.
  mode_t old = umask(0);
  bool ok = policyc::write_key_pair(dir_ + "/k", dir_ + "/k.pub", kp, &err);
  umask(old);
  ASSERT_TRUE(ok) << err;
  EXPECT_EQ(policyc_test::read_file(dir_ + "/k"),
            "ed25519-private:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n");
  EXPECT_EQ(policyc_test::read_file(dir_ + "/k.pub"), policyc::public_key_text(kp.pub));
  EXPECT_EQ(policyc_test::read_file(dir_ + "/k.pub").rfind("ed25519-public:", 0), 0u);
  EXPECT_EQ(policyc_test::read_file(dir_ + "/k.pub").size(), 15u + 64u + 1u);
  EXPECT_EQ(mode_of("/k"), 0600u);
  EXPECT_EQ(mode_of("/k.pub"), 0644u);
  policyc::KeyPair back;
  ASSERT_TRUE(policyc::read_private_key(dir_ + "/k", &back, &err)) << err;
  EXPECT_EQ(back.seed, kp.seed);
  EXPECT_EQ(back.pub, kp.pub);
  policyc::PublicKey pub;
  ASSERT_TRUE(policyc::read_public_key(dir_ + "/k.pub", &pub, &err)) << err;
  EXPECT_EQ(pub, kp.pub);
}

TEST_F(KeyFile, NeverOverwritesAKey) {
  std::string err;
  write("/k", "precious\n");
  EXPECT_FALSE(policyc::write_key_pair(dir_ + "/k", dir_ + "/k.pub",
                                       policyc_test::test_key_pair(), &err));
  EXPECT_EQ(err, "cannot create key file \"" + dir_ + "/k\": file exists");
  EXPECT_EQ(policyc_test::read_file(dir_ + "/k"), "precious\n");
  EXPECT_NE(access((dir_ + "/k.pub").c_str(), F_OK), 0);
}

TEST_F(KeyFile, ExistingPublicFileUndoesThePrivateOne) {
  std::string err;
  write("/k.pub", "other\n");
  EXPECT_FALSE(policyc::write_key_pair(dir_ + "/k", dir_ + "/k.pub",
                                       policyc_test::test_key_pair(), &err));
  EXPECT_EQ(err, "cannot create key file \"" + dir_ + "/k.pub\": file exists");
  EXPECT_NE(access((dir_ + "/k").c_str(), F_OK), 0) << "no orphaned private key";
  EXPECT_EQ(policyc_test::read_file(dir_ + "/k.pub"), "other\n");
}

TEST_F(KeyFile, RejectsMalformedFiles) {
  const std::string hex64(64, 'a');
  const std::string bad[] = {"", hex64 + "\n", "ed25519-public:" + hex64 + "\n",
                             "ed25519-private:" + hex64.substr(1) + "\n",
                             "ed25519-private:" + hex64 + "0\n",
                             "ed25519-private:" + hex64 + "\n\n",
                             "ed25519-private:g" + hex64.substr(1) + "\n",
                             "ed25519-private: " + hex64 + "\n"};
  for (const std::string& text : bad) {
    write("/bad", text);
    policyc::KeyPair kp;
    std::string err;
    EXPECT_FALSE(policyc::read_private_key(dir_ + "/bad", &kp, &err)) << text;
    EXPECT_EQ(err, "private key file \"" + dir_ +
                       "/bad\" must hold \"ed25519-private:\", 64 hex digits and a newline");
  }
  write("/bad", "ed25519-private:" + hex64);  // the newline is optional
  policyc::KeyPair kp;
  std::string err;
  EXPECT_TRUE(policyc::read_private_key(dir_ + "/bad", &kp, &err)) << err;
  EXPECT_EQ(kp.seed[0], 0xaa);
  write("/other.pub", "ed25519-private:" + hex64 + "\n");
  policyc::PublicKey pub;
  EXPECT_FALSE(policyc::read_public_key(dir_ + "/other.pub", &pub, &err));
  EXPECT_EQ(err, "public key file \"" + dir_ +
                     "/other.pub\" must hold \"ed25519-public:\", 64 hex digits and a newline");
}

TEST_F(KeyFile, MissingFile) {
  policyc::KeyPair kp;
  std::string err;
  EXPECT_FALSE(policyc::read_private_key(dir_ + "/none", &kp, &err));
  EXPECT_EQ(err, "cannot open private key file \"" + dir_ + "/none\": no such file or directory");
}

TEST_F(KeyFile, DeviceIdParsing) {
  policyc::DeviceId id;
  EXPECT_TRUE(policyc::parse_device_id("00112233445566778899aabbccddeeff", &id));
  EXPECT_EQ(id[15], 0xff);
  EXPECT_FALSE(policyc::parse_device_id("00112233445566778899aabbccddeef", &id));
  EXPECT_FALSE(policyc::parse_device_id("any", &id));
}

}  // namespace
