// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// key_file_test.cc - device key generation and the key file format.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "compiler.h"
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
    for (const char* f : {"/k", "/bad"}) std::remove((dir_ + f).c_str());
    rmdir(dir_.c_str());
  }
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + name, std::ios::binary) << text;
  }
  std::string dir_;
};

TEST_F(KeyFile, MakeKeyIsRandom32Bytes) {
  policyc::Key a = policyc::make_key(), b = policyc::make_key();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
}

TEST_F(KeyFile, WriteThenReadRoundTripsWithMode0600) {
  policyc::Key key = policyc_test::test_key();
  std::string err;
  ASSERT_TRUE(policyc::write_key_file(dir_ + "/k", key, &err)) << err;
  EXPECT_EQ(policyc_test::read_file(dir_ + "/k"),
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n");
  struct stat st{};
  ASSERT_EQ(stat((dir_ + "/k").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  policyc::Key back;
  ASSERT_TRUE(policyc::read_key_file(dir_ + "/k", &back, &err)) << err;
  EXPECT_EQ(back, key);
}

TEST_F(KeyFile, NeverOverwritesAKey) {
  std::string err;
  ASSERT_TRUE(policyc::write_key_file(dir_ + "/k", policyc_test::test_key(), &err));
  EXPECT_FALSE(policyc::write_key_file(dir_ + "/k", policyc::make_key(), &err));
  EXPECT_EQ(err, "cannot create key file \"" + dir_ + "/k\": file exists");
}

TEST_F(KeyFile, RejectsMalformedFiles) {
  const std::string hex64(64, 'a');
  const std::string bad[] = {"", hex64.substr(1) + "\n", hex64 + "0\n",
                             hex64 + "\n\n", "g" + hex64.substr(1) + "\n",
                             hex64 + " "};
  for (const std::string& text : bad) {
    write("/bad", text);
    policyc::Key key;
    std::string err;
    EXPECT_FALSE(policyc::read_key_file(dir_ + "/bad", &key, &err)) << text;
    EXPECT_EQ(err, "key file \"" + dir_ + "/bad\" must hold 64 hex characters and a newline");
  }
  write("/bad", hex64);  // the newline is optional
  policyc::Key key;
  std::string err;
  EXPECT_TRUE(policyc::read_key_file(dir_ + "/bad", &key, &err)) << err;
  EXPECT_EQ(key, policyc::Key(32, 0xaa));
}

TEST_F(KeyFile, MissingFileAndWrongKeySize) {
  policyc::Key key;
  std::string err;
  EXPECT_FALSE(policyc::read_key_file(dir_ + "/none", &key, &err));
  EXPECT_EQ(err, "cannot open key file \"" + dir_ + "/none\": no such file or directory");
  EXPECT_FALSE(policyc::write_key_file(dir_ + "/k", policyc::Key(16, 1), &err));
  EXPECT_EQ(err, "a device key has 32 bytes, not 16");
}

}  // namespace
