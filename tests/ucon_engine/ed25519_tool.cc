// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// ed25519_tool.cc - batch front end to the engine's Ed25519 for differential
// tests: one command per stdin line, one answer per stdout line, hex both
// ways, so a test drives thousands of cases through a single process.
//
//   pub <seed>                 -> <pub>
//   sign <seed> <msg>          -> <sig>     (pub derived from seed)
//   verify <pub> <msg> <sig>   -> 1 | 0
//
// <msg> is "-" for the empty message. A malformed line ends the run with
// exit status 2, so a driver cannot mistake a parse error for a verdict.
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "ed25519.h"

namespace {

using Bytes = std::vector<std::uint8_t>;

int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  throw std::runtime_error("bad hex digit");
}

Bytes from_hex(const std::string& hex, std::size_t want = SIZE_MAX) {
  Bytes out;
  if (hex == "-") return out;
  if (hex.size() % 2 != 0) throw std::runtime_error("odd hex length");
  for (std::size_t i = 0; i < hex.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
  if (want != SIZE_MAX && out.size() != want) throw std::runtime_error("wrong length");
  return out;
}

std::string to_hex(const std::uint8_t* p, std::size_t n) {
  static const char kDigits[] = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    s += kDigits[p[i] >> 4];
    s += kDigits[p[i] & 0xf];
  }
  return s;
}

std::string run(const std::string& line) {
  std::istringstream in(line);
  std::string cmd, a, b, c;
  in >> cmd >> a >> b >> c;
  if (cmd == "pub") {
    const Bytes seed = from_hex(a, ucon::kEd25519SeedLen);
    std::uint8_t pub[ucon::kEd25519PublicKeyLen];
    ucon::ed25519_public_key(seed.data(), pub);
    return to_hex(pub, sizeof(pub));
  }
  if (cmd == "sign") {
    const Bytes seed = from_hex(a, ucon::kEd25519SeedLen);
    const Bytes msg = from_hex(b);
    std::uint8_t pub[ucon::kEd25519PublicKeyLen], sig[ucon::kEd25519SignatureLen];
    ucon::ed25519_public_key(seed.data(), pub);
    ucon::ed25519_sign(seed.data(), pub, msg.data(), msg.size(), sig);
    return to_hex(sig, sizeof(sig));
  }
  if (cmd == "verify") {
    const Bytes pub = from_hex(a, ucon::kEd25519PublicKeyLen);
    const Bytes msg = from_hex(b);
    const Bytes sig = from_hex(c, ucon::kEd25519SignatureLen);
    return ucon::ed25519_verify(pub.data(), msg.data(), msg.size(), sig.data()) ? "1" : "0";
  }
  throw std::runtime_error("unknown command");
}

}  // namespace

int main() {
  std::ios::sync_with_stdio(false);
  std::string line;
  unsigned long n = 0;
  try {
    while (std::getline(std::cin, line)) {
      ++n;
      if (line.empty()) continue;
      std::cout << run(line) << '\n';
    }
  } catch (const std::exception& e) {
    std::cout.flush();
    std::fprintf(stderr, "ed25519_tool: line %lu: %s\n", n, e.what());
    return 2;
  }
  return 0;
}
