// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// key_file.cc - device key generation and the key file format: 64 hex
// characters and a newline, created with mode 0600 and never overwritten.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "compiler.h"

namespace policyc {

namespace {

constexpr std::size_t kKeyBytes = 32;

std::string lower_strerror(int err) {
  std::string s = std::strerror(err);
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
  return s;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Key make_key() {
  Key key(kKeyBytes);
  int fd = ::open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  std::size_t got = 0;
  while (got < key.size()) {
    ssize_t n = ::read(fd, key.data() + got, key.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (got != key.size()) return {};  // callers treat an empty key as failure
  return key;
}

bool read_key_file(const std::string& path, Key* key, std::string* err) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *err = "cannot open key file \"" + path + "\": " + lower_strerror(errno);
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (text.size() == 2 * kKeyBytes + 1 && text.back() == '\n') text.pop_back();
  Key out;
  bool ok = text.size() == 2 * kKeyBytes;
  for (std::size_t i = 0; ok && i < text.size(); i += 2) {
    int hi = hex_digit(text[i]), lo = hex_digit(text[i + 1]);
    ok = hi >= 0 && lo >= 0;
    out.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
  }
  if (!ok) {
    *err = "key file \"" + path + "\" must hold 64 hex characters and a newline";
    return false;
  }
  *key = std::move(out);
  return true;
}

bool write_key_file(const std::string& path, const Key& key, std::string* err) {
  if (key.size() != kKeyBytes) {
    *err = "a device key has 32 bytes, not " + std::to_string(key.size());
    return false;
  }
  static const char kDigits[] = "0123456789abcdef";
  std::string text;
  for (std::uint8_t b : key) {
    text += kDigits[b >> 4];
    text += kDigits[b & 15];
  }
  text += '\n';
  // O_EXCL: replacing a device key by accident would orphan every blob
  // signed with it.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    *err = "cannot create key file \"" + path + "\": " + lower_strerror(errno);
    return false;
  }
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  int saved = errno;
  bool ok = done == text.size() && ::fsync(fd) == 0;
  if (!ok && done == text.size()) saved = errno;
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    *err = "cannot write key file \"" + path + "\": " + lower_strerror(saved);
    return false;
  }
  return true;
}

}  // namespace policyc
