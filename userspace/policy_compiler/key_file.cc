// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// key_file.cc - Ed25519 key pairs and their files: "ed25519-private:" or
// "ed25519-public:" + 64 lower-case hex digits + newline. The private file is
// created 0600 with O_EXCL (never world-readable, never overwritten).
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "compiler.h"
#include "crypto.h"
#include "ed25519.h"

namespace policyc {

namespace {

constexpr char kPrivatePrefix[] = "ed25519-private:";
constexpr char kPublicPrefix[] = "ed25519-public:";

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

bool from_hex(const std::string& text, std::uint8_t* out, std::size_t len) {
  if (text.size() != 2 * len) return false;
  for (std::size_t i = 0; i < len; ++i) {
    int hi = hex_digit(text[2 * i]), lo = hex_digit(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return true;
}

std::string to_hex(const std::uint8_t* data, std::size_t len) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < len; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 15];
  }
  return out;
}

bool random_bytes(std::uint8_t* out, std::size_t len) {
  int fd = ::open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  std::size_t got = 0;
  while (got < len) {
    ssize_t n = ::read(fd, out + got, len - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return got == len;
}

// prefix + 64 hex + optional "\n", nothing else.
bool read_key(const std::string& path, const char* prefix, const char* what,
              std::uint8_t out[kKeyLen], std::string* err) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *err = "cannot open " + std::string(what) + " key file \"" + path + "\": " +
           lower_strerror(errno);
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (!text.empty() && text.back() == '\n') text.pop_back();
  const std::size_t plen = std::strlen(prefix);
  if (text.compare(0, plen, prefix) != 0 ||
      !from_hex(text.substr(plen), out, kKeyLen)) {
    *err = std::string(what) + " key file \"" + path + "\" must hold \"" +
           prefix + "\", 64 hex digits and a newline";
    return false;
  }
  return true;
}

// O_EXCL: replacing a key by accident would orphan everything signed with
// it (or lock the owner out of a board that trusts it).
bool create_file(const std::string& path, const std::string& text,
                 unsigned mode, std::string* err) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                  static_cast<mode_t>(mode));
  if (fd < 0) {
    *err = "cannot create key file \"" + path + "\": " + lower_strerror(errno);
    return false;
  }
  // The umask may have cleared bits of a public file; never adds any.
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

}  // namespace

Key make_key() {
  Key key(kKeyLen);
  if (!random_bytes(key.data(), key.size())) return {};
  return key;
}

KeyPair key_pair_from_seed(const std::uint8_t seed[kKeyLen]) {
  KeyPair kp;
  std::memcpy(kp.seed.data(), seed, kKeyLen);
  ucon::ed25519_public_key(kp.seed.data(), kp.pub.data());
  return kp;
}

bool generate_key_pair(KeyPair* out, std::string* err) {
  std::uint8_t seed[kKeyLen];
  if (!random_bytes(seed, sizeof(seed))) {
    *err = "cannot read 32 random bytes from /dev/urandom";
    return false;
  }
  *out = key_pair_from_seed(seed);
  std::memset(seed, 0, sizeof(seed));
  return true;
}

bool read_private_key(const std::string& path, KeyPair* out, std::string* err) {
  std::uint8_t seed[kKeyLen];
  if (!read_key(path, kPrivatePrefix, "private", seed, err)) return false;
  *out = key_pair_from_seed(seed);
  std::memset(seed, 0, sizeof(seed));
  return true;
}

bool read_public_key(const std::string& path, PublicKey* out, std::string* err) {
  return read_key(path, kPublicPrefix, "public", out->data(), err);
}

std::string public_key_text(const PublicKey& pub) {
  return kPublicPrefix + to_hex(pub.data(), pub.size()) + "\n";
}

bool write_key_pair(const std::string& priv_path, const std::string& pub_path,
                    const KeyPair& kp, std::string* err) {
  std::string priv = kPrivatePrefix + to_hex(kp.seed.data(), kp.seed.size()) + "\n";
  bool ok = create_file(priv_path, priv, 0600, err);
  std::fill(priv.begin(), priv.end(), '\0');
  if (!ok) return false;
  if (!create_file(pub_path, public_key_text(kp.pub), 0644, err)) {
    ::unlink(priv_path.c_str());  // a private key nobody can pair is useless
    return false;
  }
  return true;
}

DeviceId device_id_of(const PublicKey& pub) {
  std::uint8_t digest[ucon::kSha256Len];
  ucon::sha256(pub.data(), pub.size(), digest);
  DeviceId id;
  std::memcpy(id.data(), digest, id.size());
  return id;
}

bool parse_device_id(const std::string& hex, DeviceId* out) {
  return from_hex(hex, out->data(), out->size());
}

}  // namespace policyc
