// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Exact AML bytes per construct, derived by hand from ACPI 6.5, 20.2 (and
// cross-checked against what iasl emits for the same ASL).
#include <gtest/gtest.h>

#include <vmm/acpi/aml.hpp>

namespace vmm::acpi::aml {
namespace {

Bytes ok_bytes(Result<Bytes> result) {
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message());
  return result.ok() ? std::move(result).value() : Bytes{};
}

TEST(PkgLength, OneByteUpTo63) {
  EXPECT_EQ(ok_bytes(encode_pkg_length(0)), (Bytes{0x00}));
  EXPECT_EQ(ok_bytes(encode_pkg_length(63)), (Bytes{0x3F}));
}

TEST(PkgLength, TwoToFourBytes) {
  // 64: lead byte 0x40 (one more byte, low nibble 0), then 64 >> 4 = 0x04.
  EXPECT_EQ(ok_bytes(encode_pkg_length(64)), (Bytes{0x40, 0x04}));
  EXPECT_EQ(ok_bytes(encode_pkg_length(0xFFF)), (Bytes{0x4F, 0xFF}));
  EXPECT_EQ(ok_bytes(encode_pkg_length(0x1000)), (Bytes{0x80, 0x00, 0x01}));
  EXPECT_EQ(ok_bytes(encode_pkg_length(0xFFFFF)), (Bytes{0x8F, 0xFF, 0xFF}));
  EXPECT_EQ(ok_bytes(encode_pkg_length(0x100000)), (Bytes{0xC0, 0x00, 0x00, 0x01}));
  EXPECT_EQ(ok_bytes(encode_pkg_length(kMaxPkgLength)), (Bytes{0xCF, 0xFF, 0xFF, 0xFF}));
}

TEST(PkgLength, RejectsAbove28Bits) {
  auto result = encode_pkg_length(kMaxPkgLength + 1);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), AcpiErrc::kInvalidAml);
}

TEST(PkgLength, CountsItsOwnBytes) {
  EXPECT_EQ(ok_bytes(package_length_for(0)), (Bytes{0x01}));
  EXPECT_EQ(ok_bytes(package_length_for(62)), (Bytes{0x3F}));        // 62 + 1 = 63
  EXPECT_EQ(ok_bytes(package_length_for(63)), (Bytes{0x41, 0x04}));  // 63 + 2 = 65
  EXPECT_EQ(ok_bytes(package_length_for(4093)), (Bytes{0x4F, 0xFF}));
  EXPECT_EQ(ok_bytes(package_length_for(4094)), (Bytes{0x81, 0x00, 0x01}));  // 4094 + 3 = 0x1001
}

TEST(PkgLength, DecodesWhatItEncodes) {
  for (uint32_t value : {0U, 63U, 64U, 0xFFFU, 0x1000U, 0x12345U, 0xFFFFFU, 0x100000U, kMaxPkgLength}) {
    Bytes encoded = ok_bytes(encode_pkg_length(value));
    auto decoded = decode_pkg_length(encoded, 0);
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->value, value);
    EXPECT_EQ(decoded->encoded_size, encoded.size());
  }
  EXPECT_FALSE(decode_pkg_length(Bytes{0x40}, 0));        // truncated
  EXPECT_FALSE(decode_pkg_length(Bytes{0x70, 0x00}, 0));  // reserved bits set
  EXPECT_FALSE(decode_pkg_length(Bytes{}, 0));
}

TEST(Names, NameSegPadsWithUnderscore) {
  EXPECT_EQ(NameString("_SB").encoded(), (Bytes{'_', 'S', 'B', '_'}));
  EXPECT_FALSE(NameSeg::parse("1ABC"));
  EXPECT_FALSE(NameSeg::parse("abcd"));
  EXPECT_FALSE(NameSeg::parse("TOOLONG"));
  EXPECT_FALSE(NameSeg::parse(""));
  ASSERT_TRUE(NameSeg::parse("VR0A"));
}

TEST(Names, PathsUsePrefixes) {
  EXPECT_EQ(NameString::parse("\\_SB.PWRB")->encoded(),
            (Bytes{0x5C, 0x2E, '_', 'S', 'B', '_', 'P', 'W', 'R', 'B'}));
  EXPECT_EQ(NameString::parse("^DEV")->encoded(), (Bytes{0x5E, 'D', 'E', 'V', '_'}));
  EXPECT_EQ(NameString::parse("\\A.B.C")->encoded(),
            (Bytes{0x5C, 0x2F, 3, 'A', '_', '_', '_', 'B', '_', '_', '_', 'C', '_', '_', '_'}));
  EXPECT_EQ(NameString::parse("\\")->encoded(), (Bytes{0x5C, 0x00}));
  EXPECT_FALSE(NameString::parse("\\_SB.").ok());
  EXPECT_FALSE(NameString::parse("A..B").ok());
}

TEST(Integers, ShortestEncoding) {
  EXPECT_EQ(integer(0), (Bytes{0x00}));
  EXPECT_EQ(integer(1), (Bytes{0x01}));
  EXPECT_EQ(integer(2), (Bytes{0x0A, 0x02}));
  EXPECT_EQ(integer(0xFF), (Bytes{0x0A, 0xFF}));
  EXPECT_EQ(integer(0x100), (Bytes{0x0B, 0x00, 0x01}));
  EXPECT_EQ(integer(0x12345678), (Bytes{0x0C, 0x78, 0x56, 0x34, 0x12}));
  EXPECT_EQ(integer(0x1'0000'0000), (Bytes{0x0E, 0, 0, 0, 0, 1, 0, 0, 0}));
}

TEST(Strings, NulTerminated) {
  EXPECT_EQ(ok_bytes(string("AB")), (Bytes{0x0D, 'A', 'B', 0x00}));
  EXPECT_FALSE(string(std::string_view("A\0B", 3)).ok());
  EXPECT_FALSE(string("\xC3\xA9").ok());
}

TEST(EisaId, Compressed) {
  // P=0x10 N=0x0E P=0x10: 0x10<<2 | 0x0E>>3 = 0x41, (0x0E&7)<<5 | 0x10 = 0xD0.
  EXPECT_EQ(ok_bytes(eisa_id("PNP0501")), (Bytes{0x0C, 0x41, 0xD0, 0x05, 0x01}));
  EXPECT_EQ(ok_bytes(eisa_id("PNP0C0C")), (Bytes{0x0C, 0x41, 0xD0, 0x0C, 0x0C}));
  EXPECT_FALSE(eisa_id("PNP050").ok());
  EXPECT_FALSE(eisa_id("pnp0501").ok());
  EXPECT_FALSE(eisa_id("PNP05G1").ok());
}

TEST(Objects, Name) { EXPECT_EQ(name("_UID", integer(0)), (Bytes{0x08, '_', 'U', 'I', 'D', 0x00})); }

TEST(Objects, PackageAndBuffer) {
  EXPECT_EQ(ok_bytes(package({integer(5), integer(0)})), (Bytes{0x12, 0x05, 0x02, 0x0A, 0x05, 0x00}));
  const uint8_t data[] = {0xAA, 0xBB};
  EXPECT_EQ(ok_bytes(buffer(data)), (Bytes{0x11, 0x05, 0x0A, 0x02, 0xAA, 0xBB}));
  EXPECT_FALSE(package(std::vector<Bytes>(256, integer(0))).ok());
}

TEST(Objects, ScopeDeviceMethodReturn) {
  EXPECT_EQ(ok_bytes(scope(NameString("_SB"), {})), (Bytes{0x10, 0x05, '_', 'S', 'B', '_'}));
  EXPECT_EQ(ok_bytes(device("PWRB", {uid(0)})),
            (Bytes{0x5B, 0x82, 0x0B, 'P', 'W', 'R', 'B', 0x08, '_', 'U', 'I', 'D', 0x00}));
  // Method(MTH_, 1, Serialized) { Return (0x0F) }: flags 0x09.
  EXPECT_EQ(ok_bytes(method("MTH", 1, true, {return_value(integer(0x0F))})),
            (Bytes{0x14, 0x09, 'M', 'T', 'H', '_', 0x09, 0xA4, 0x0A, 0x0F}));
  EXPECT_FALSE(method("MTH", 8, false, {}).ok());
}

TEST(Objects, LargeBodyUsesTwoBytePkgLength) {
  const Bytes body = ok_bytes(device("BIG", {name("DATA", ok_bytes(buffer(Bytes(100, 0x55))))}));
  auto length = decode_pkg_length(body, 2);
  ASSERT_TRUE(length);
  EXPECT_EQ(length->encoded_size, 2U);
  EXPECT_EQ(length->value, body.size() - 2);  // everything after ExtOpPrefix DeviceOp
}

TEST(Statements, RegionFieldIfNotify) {
  EXPECT_EQ(operation_region("GDST", RegionSpace::kSystemMemory, 0xFED00000, 4),
            (Bytes{0x5B, 0x80, 'G', 'D', 'S', 'T', 0x00, 0x0C, 0x00, 0x00, 0xD0, 0xFE, 0x0A, 0x04}));
  EXPECT_EQ(ok_bytes(field("GDST", FieldAccess::kDWord, {{"GDAT", 32}})),
            (Bytes{0x5B, 0x81, 0x0B, 'G', 'D', 'S', 'T', 0x03, 'G', 'D', 'A', 'T', 0x20}));
  const Bytes pwrb = NameString::parse("\\_SB.PWRB")->encoded();
  Bytes expected{0xA0, 0x15, 0x7B, 'G', 'D', 'A', 'T', 0x01, 0x00, 0x86};
  expected.insert(expected.end(), pwrb.begin(), pwrb.end());
  expected.insert(expected.end(), {0x0A, 0x80});
  EXPECT_EQ(ok_bytes(if_then(bit_and(NameString("GDAT").encoded(), integer(1)),
                             {notify(*NameString::parse("\\_SB.PWRB"), integer(0x80))})),
            expected);
}

}  // namespace
}  // namespace vmm::acpi::aml
