// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// fdt_test.cc - the DTB reader on dtc-built trees and on every kind of
// damage the normal world could do to one, and read_boot_info on top.
#include "fdt.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "boot_info.h"
#include "crypto.h"

namespace {

using fdt::Error;

// Word-aligned bytes of a DTB, with room to damage it.
struct Dtb {
  std::vector<uint32_t> words;
  size_t size = 0;
  uint8_t* data() { return reinterpret_cast<uint8_t*>(words.data()); }
  void put_be32(size_t off, uint32_t v) {
    for (int i = 0; i < 4; ++i) data()[off + i] = uint8_t(v >> (24 - 8 * i));
  }
  uint32_t be32(size_t off) {
    const uint8_t* p = data() + off;
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
  }
};

Dtb load(const std::string& name) {
  std::ifstream in(std::string(TZUCON_FDT_DATA) + "/" + name + ".dtb",
                   std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                          std::istreambuf_iterator<char>());
  Dtb d;
  d.size = bytes.size();
  d.words.assign(bytes.size() / 4 + 2, 0);
  std::memcpy(d.data(), bytes.data(), bytes.size());
  return d;
}

// Header field offsets (devicetree spec 5.2).
constexpr size_t kTotalSize = 4, kOffStruct = 8, kOffStrings = 12,
                 kOffRsvmap = 16, kVersion = 20, kSizeStrings = 32,
                 kSizeStruct = 36;

Error bootargs(Dtb& d, std::string* out, size_t max_len = 0) {
  fdt::Blob b;
  Error e = fdt::open(d.data(), max_len ? max_len : d.size, &b);
  if (e != Error::kOk) return e;
  fdt::Property p;
  e = fdt::find_root_child_prop(b, "chosen", "bootargs", &p);
  if (e == Error::kOk) out->assign(reinterpret_cast<const char*>(p.data), p.len);
  return e;
}

TEST(Fdt, FindsRootChosenBootargsNotDecoys) {
  Dtb d = load("valid");
  std::string args;
  ASSERT_EQ(bootargs(d, &args), Error::kOk);
  EXPECT_EQ(args, std::string("console=ttyPS0,115200 rdinit=/init panic=-1 "
                              "maxcpus=1") + '\0');
}

TEST(Fdt, ChosenWithUnitAddressMatches) {
  Dtb d = load("chosen_unit");
  std::string args;
  ASSERT_EQ(bootargs(d, &args), Error::kOk);
  EXPECT_EQ(args, std::string("lsm=capability") + '\0');
}

TEST(Fdt, MissingChosenOrBootargsIsNotFound) {
  for (const char* n : {"no_chosen", "no_bootargs"}) {
    Dtb d = load(n);
    std::string args;
    EXPECT_EQ(bootargs(d, &args), Error::kNotFound) << n;
  }
}

TEST(Fdt, NestingLimitIsLinuxs) {
  Dtb ok = load("deep64"), deep = load("deep65");
  std::string args;
  EXPECT_EQ(bootargs(ok, &args), Error::kOk);
  EXPECT_EQ(bootargs(deep, &args), Error::kTooDeep);
}

TEST(Fdt, TruncatedBufferIsRefused) {
  Dtb d = load("valid");
  std::string args;
  EXPECT_EQ(bootargs(d, &args, d.size - 1), Error::kTruncated);
  EXPECT_EQ(bootargs(d, &args, fdt::kHeaderSize - 1), Error::kTruncated);
  fdt::Blob b;
  EXPECT_EQ(fdt::open(nullptr, 4096, &b), Error::kTruncated);
}

TEST(Fdt, BadMagicVersionAlignment) {
  Dtb d = load("valid");
  std::string args;
  d.put_be32(0, 0xEDFE0DD0u);  // byte-swapped magic
  EXPECT_EQ(bootargs(d, &args), Error::kBadMagic);
  d = load("valid");
  d.put_be32(kVersion, 16);
  EXPECT_EQ(bootargs(d, &args), Error::kBadVersion);
  d = load("valid");
  fdt::Blob b;
  std::vector<uint8_t> shifted(d.size + 1);
  std::memcpy(shifted.data() + 1, d.data(), d.size);
  EXPECT_EQ(fdt::open(shifted.data() + 1, d.size, &b), Error::kMisaligned);
}

TEST(Fdt, OffsetsPastTheEndAreRefused) {
  const struct {
    size_t field;
    int delta;  // added to the field; 0 = set to totalsize + 4
    Error want;
  } cases[] = {
      {kTotalSize, 0, Error::kTruncated},   {kOffStruct, 0, Error::kBadHeader},
      {kOffStrings, 0, Error::kBadHeader},  {kOffRsvmap, 0, Error::kBadHeader},
      {kSizeStruct, 0, Error::kBadHeader},  {kSizeStrings, 0, Error::kBadHeader},
      {kOffStruct, 2, Error::kBadHeader},   {kOffStruct, -40, Error::kBadHeader},
      {kOffRsvmap, 4, Error::kBadHeader},
  };
  for (const auto& c : cases) {
    Dtb d = load("valid");
    const uint32_t v = c.delta ? d.be32(c.field) + c.delta : d.be32(kTotalSize) + 4;
    d.put_be32(c.field, v);
    std::string args;
    EXPECT_EQ(bootargs(d, &args), c.want) << "field " << c.field;
  }
  Dtb d = load("valid");  // offset + size wraps around 2^32
  d.put_be32(kSizeStruct, 0xFFFFFFF0u);
  std::string args;
  EXPECT_EQ(bootargs(d, &args), Error::kBadHeader);
}

TEST(Fdt, DamagedStructureBlockIsRefused) {
  Dtb d = load("valid");
  std::string args;
  d.put_be32(kSizeStruct, d.be32(kSizeStruct) - 4);  // FDT_END cut off
  EXPECT_EQ(bootargs(d, &args), Error::kBadStructure);
  d = load("valid");
  d.put_be32(d.be32(kOffStruct), 7);  // unknown first token
  EXPECT_EQ(bootargs(d, &args), Error::kBadStructure);
  d = load("valid");
  d.put_be32(kSizeStrings, 4);  // property names past the strings block
  EXPECT_EQ(bootargs(d, &args), Error::kBadStructure);
}

TEST(Fdt, PropertyLengthPastTheBlockIsRefused) {
  Dtb d = load("chosen_unit");
  // Structure: BEGIN_NODE "" | BEGIN_NODE "chosen@0" | PROP len nameoff ...
  const size_t off = d.be32(kOffStruct) + 4 + 4 + 4 + 12;
  ASSERT_EQ(d.be32(off), 3u);  // FDT_PROP
  d.put_be32(off + 4, 0x7FFFFFF0u);
  std::string args;
  EXPECT_EQ(bootargs(d, &args), Error::kBadStructure);
}

TEST(BootInfo, DigestsAndChecksTheKernelsView) {
  Dtb d = load("valid");
  monitor::BootInfo bi;
  ASSERT_EQ(monitor::read_boot_info(d.data(), d.size, &bi), ucon::Status::kOk);
  EXPECT_TRUE(bi.dtb_ok);
  EXPECT_FALSE(bi.cmdline_weak);
  EXPECT_STREQ(bi.reason, "");
  const std::string line = "console=ttyPS0,115200 rdinit=/init panic=-1 maxcpus=1";
  EXPECT_EQ(bi.cmdline_len, line.size());
  uint8_t want[32];
  ucon::sha256(line.data(), line.size(), want);
  EXPECT_EQ(0, std::memcmp(want, bi.cmdline_sha256, 32));
}

TEST(BootInfo, BootargsWithoutNulLosesTheLastByteAsInLinux) {
  Dtb d = load("bootargs_no_nul");
  monitor::BootInfo bi;
  ASSERT_EQ(monitor::read_boot_info(d.data(), d.size, &bi), ucon::Status::kOk);
  EXPECT_EQ(bi.cmdline_len, std::strlen("rdinit=/init "));
}

TEST(BootInfo, WeakCommandLineIsReported) {
  Dtb d = load("weak");
  monitor::BootInfo bi;
  ASSERT_EQ(monitor::read_boot_info(d.data(), d.size, &bi), ucon::Status::kOk);
  EXPECT_TRUE(bi.dtb_ok);
  EXPECT_TRUE(bi.cmdline_weak);
  EXPECT_STREQ(bi.reason, "tz_hooks.permissive=1");
}

TEST(BootInfo, NoBootargsIsAnEmptyIntactLine) {
  Dtb d = load("no_chosen");
  monitor::BootInfo bi;
  ASSERT_EQ(monitor::read_boot_info(d.data(), d.size, &bi), ucon::Status::kOk);
  EXPECT_TRUE(bi.dtb_ok);
  EXPECT_FALSE(bi.cmdline_weak);
  EXPECT_EQ(bi.cmdline_len, 0u);
}

TEST(BootInfo, UnusableDtbFailsClosed) {
  Dtb d = load("valid");
  d.put_be32(0, 0);
  monitor::BootInfo bi;
  EXPECT_EQ(monitor::read_boot_info(d.data(), d.size, &bi),
            ucon::Status::kMalformed);
  EXPECT_FALSE(bi.dtb_ok);
  EXPECT_TRUE(bi.cmdline_weak);
  EXPECT_STREQ(bi.reason, "dtb: bad magic");
}

TEST(BootInfo, SetOnceAtBoot) {
  EXPECT_TRUE(monitor::boot_info().cmdline_weak);  // not read yet
  Dtb d = load("valid");
  EXPECT_EQ(monitor::init_boot_info(d.data(), d.size), ucon::Status::kOk);
  EXPECT_FALSE(monitor::boot_info().cmdline_weak);
  Dtb w = load("weak");
  EXPECT_EQ(monitor::init_boot_info(w.data(), w.size), ucon::Status::kBadField);
  EXPECT_FALSE(monitor::boot_info().cmdline_weak);
}

}  // namespace
