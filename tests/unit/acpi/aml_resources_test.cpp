// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Resource descriptors and predefined objects, exact bytes (ACPI 6.5, 6.4).
#include <gtest/gtest.h>

#include <vmm/acpi/aml.hpp>

namespace vmm::acpi::aml {
namespace {

Bytes ok_bytes(Result<Bytes> result) {
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message());
  return result.ok() ? std::move(result).value() : Bytes{};
}

TEST(Resources, Memory32Fixed) {
  // 0x86, length 9, _RW, base, length (6.4.3.4).
  EXPECT_EQ(memory32_fixed(true, 0xD0000000, 0x1000),
            (Bytes{0x86, 0x09, 0x00, 0x01, 0x00, 0x00, 0x00, 0xD0, 0x00, 0x10, 0x00, 0x00}));
}

TEST(Resources, QWordMemory) {
  const Bytes bytes = qword_memory(true, true, 0x1'0000'0000, 0x1'0000'0000);
  ASSERT_EQ(bytes.size(), 46U);
  EXPECT_EQ(Bytes(bytes.begin(), bytes.begin() + 6), (Bytes{0x8A, 0x2B, 0x00, 0x00, 0x0D, 0x03}));
  auto qword_at = [&](size_t offset) {
    uint64_t value = 0;
    for (size_t i = 0; i < 8; ++i) value |= uint64_t{bytes[offset + i]} << (8 * i);
    return value;
  };
  EXPECT_EQ(qword_at(6), 0U);               // granularity
  EXPECT_EQ(qword_at(14), 0x1'0000'0000U);  // min
  EXPECT_EQ(qword_at(22), 0x1'FFFF'FFFFU);  // max
  EXPECT_EQ(qword_at(30), 0U);              // translation
  EXPECT_EQ(qword_at(38), 0x1'0000'0000U);  // length
}

TEST(Resources, ExtendedInterrupt) {
  // Consumer, edge, active high, exclusive: flags 0x03 (6.4.3.6).
  EXPECT_EQ(interrupt({}, 5), (Bytes{0x89, 0x06, 0x00, 0x03, 0x01, 0x05, 0x00, 0x00, 0x00}));
  // Consumer, level, active low, shared: flags 0x0D.
  EXPECT_EQ(interrupt({.edge_triggered = false, .active_low = true, .shared = true}, 9),
            (Bytes{0x89, 0x06, 0x00, 0x0D, 0x01, 0x09, 0x00, 0x00, 0x00}));
}

TEST(Resources, IoPort) {
  EXPECT_EQ(io_port(0x3F8, 0x3F8, 1, 8), (Bytes{0x47, 0x01, 0xF8, 0x03, 0xF8, 0x03, 0x01, 0x08}));
}

TEST(Resources, TemplateEndsWithEndTag) {
  // Buffer { 0x0A 0x0E (size 14), Memory32Fixed..., 0x79 0x00 }
  Bytes expected{0x11, 0x11, 0x0A, 0x0E};
  const Bytes mem = memory32_fixed(true, 0xD0000000, 0x1000);
  expected.insert(expected.end(), mem.begin(), mem.end());
  expected.insert(expected.end(), {0x79, 0x00});
  EXPECT_EQ(ok_bytes(resource_template({mem})), expected);
  EXPECT_EQ(ok_bytes(resource_template({})), (Bytes{0x11, 0x05, 0x0A, 0x02, 0x79, 0x00}));
}

TEST(Predefined, HidUidCrs) {
  EXPECT_EQ(hid(ok_bytes(eisa_id("PNP0501"))),
            (Bytes{0x08, '_', 'H', 'I', 'D', 0x0C, 0x41, 0xD0, 0x05, 0x01}));
  EXPECT_EQ(uid(3), (Bytes{0x08, '_', 'U', 'I', 'D', 0x0A, 0x03}));
  EXPECT_EQ(ok_bytes(crs({})), (Bytes{0x08, '_', 'C', 'R', 'S', 0x11, 0x05, 0x0A, 0x02, 0x79, 0x00}));
}

TEST(Predefined, StaAndS5) {
  EXPECT_EQ(ok_bytes(sta()), (Bytes{0x14, 0x09, '_', 'S', 'T', 'A', 0x00, 0xA4, 0x0A, 0x0F}));
  EXPECT_EQ(ok_bytes(s5(5)), (Bytes{0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x0A, 0x05, 0x0A, 0x05}));
}

}  // namespace
}  // namespace vmm::acpi::aml
