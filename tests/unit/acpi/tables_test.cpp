// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// The single-table builders: lengths, checksums, fields (ACPI 6.5, 5.2).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "test_config.hpp"

namespace vmm::acpi {
namespace {

using test::byte_sum;
using test::le32;
using test::le64;

void expect_sane_table(const Bytes& table, const char* signature) {
  ASSERT_GE(table.size(), 36U);
  EXPECT_EQ(std::string(table.begin(), table.begin() + 4), signature);
  EXPECT_EQ(le32(table, 4), table.size()) << signature;
  EXPECT_EQ(byte_sum(table), 0) << signature;
}

TEST(Rsdp, BothChecksums) {
  auto rsdp = build_rsdp({}, 0xE0040);
  ASSERT_TRUE(rsdp.ok());
  ASSERT_EQ(rsdp->size(), 36U);
  EXPECT_EQ(std::string(rsdp->begin(), rsdp->begin() + 8), "RSD PTR ");
  EXPECT_EQ(byte_sum(std::span(*rsdp).first(20)), 0);  // ACPI 1.0 checksum
  EXPECT_EQ(byte_sum(*rsdp), 0);                       // extended checksum
  EXPECT_EQ((*rsdp)[15], 2);                           // revision
  EXPECT_EQ(le32(*rsdp, 20), 36U);
  EXPECT_EQ(le64(*rsdp, 24), 0xE0040U);
}

TEST(Xsdt, ListsAddresses) {
  const uint64_t addresses[] = {0xE0080, 0x1'0000'0000};
  auto xsdt = build_xsdt({}, addresses);
  ASSERT_TRUE(xsdt.ok());
  expect_sane_table(*xsdt, "XSDT");
  ASSERT_EQ(xsdt->size(), 36U + 16);
  EXPECT_EQ(le64(*xsdt, 36), 0xE0080U);
  EXPECT_EQ(le64(*xsdt, 44), 0x1'0000'0000U);
}

TEST(Header, OemIdsPaddedAndChecked) {
  auto dsdt = build_dsdt({"AB", "CD", 7}, Bytes{});
  ASSERT_TRUE(dsdt.ok());
  expect_sane_table(*dsdt, "DSDT");
  EXPECT_EQ(std::string(dsdt->begin() + 10, dsdt->begin() + 28), std::string("AB    CD      \x07\0\0\0", 18));
  EXPECT_EQ((*dsdt)[8], 2);  // revision 2: 64-bit integers
  auto bad = build_dsdt({"TOOLONGID", "X", 1}, Bytes{});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), AcpiErrc::kInvalidOemId);
  EXPECT_EQ(build_dsdt({"AB\n", "X", 1}, Bytes{}).error().code(), AcpiErrc::kInvalidOemId);
}

TEST(Fadt, HardwareReducedWithSleepRegisters) {
  FadtConfig config;
  config.dsdt_address = 0xE1000;
  config.sleep_control = {AddressSpace::kSystemMemory, 8, 0, 1, 0xFED0'0010};
  config.sleep_status = {AddressSpace::kSystemIo, 8, 0, 1, 0x601};
  auto fadt = build_fadt({}, config);
  ASSERT_TRUE(fadt.ok());
  expect_sane_table(*fadt, "FACP");
  ASSERT_EQ(fadt->size(), 276U);
  EXPECT_EQ((*fadt)[8], 6);                      // revision
  EXPECT_EQ((*fadt)[131], 5);                    // minor version
  EXPECT_NE(le32(*fadt, 112) & (1U << 20), 0U);  // HW_REDUCED_ACPI
  EXPECT_EQ(le32(*fadt, 40), 0U);                // 32-bit DSDT unused
  EXPECT_EQ(le64(*fadt, 140), 0xE1000U);         // X_DSDT
  EXPECT_EQ((*fadt)[244], 0);                    // SLEEP_CONTROL_REG: system memory
  EXPECT_EQ(le64(*fadt, 248), 0xFED0'0010U);
  EXPECT_EQ((*fadt)[256], 1);  // SLEEP_STATUS_REG: system I/O
  EXPECT_EQ(le64(*fadt, 260), 0x601U);
  EXPECT_EQ(std::string(fadt->begin() + 268, fadt->begin() + 274), "VMMKIT");
  EXPECT_EQ(le32(*fadt, 109) & 0xFFFF & (1U << 1), 1U << 1);  // 8042 present
}

struct MadtCounts {
  size_t lapic = 0, x2apic = 0, ioapic = 0, overrides = 0;
};

MadtCounts count_entries(const Bytes& madt) {
  MadtCounts counts;
  for (size_t at = 44; at + 2 <= madt.size();) {
    const uint8_t type = madt[at], length = madt[at + 1];
    EXPECT_GE(length, 2);
    if (length < 2) break;
    counts.lapic += type == 0;
    counts.ioapic += type == 1;
    counts.overrides += type == 2;
    counts.x2apic += type == 9;
    at += length;
    EXPECT_LE(at, madt.size());
  }
  return counts;
}

TEST(Madt, EntriesPerVcpuCount) {
  for (uint32_t vcpus : {1U, 2U, 254U, 255U, 256U, 300U, kMaxVcpus}) {
    auto madt = build_madt({}, {vcpus, false, 0});
    ASSERT_TRUE(madt.ok());
    expect_sane_table(*madt, "APIC");
    const MadtCounts counts = count_entries(*madt);
    EXPECT_EQ(counts.lapic, std::min<size_t>(vcpus, 255)) << vcpus;
    EXPECT_EQ(counts.x2apic, vcpus > 255 ? vcpus - 255 : 0) << vcpus;
    EXPECT_EQ(counts.ioapic, 1U);
    EXPECT_EQ(counts.overrides, 0U);
    EXPECT_EQ(le32(*madt, 36), 0xFEE0'0000U);
    EXPECT_EQ(le32(*madt, 40), 0U);  // PCAT_COMPAT clear
  }
}

TEST(Madt, IoapicAndOverride) {
  auto madt = build_madt({}, {1, true, 3});
  ASSERT_TRUE(madt.ok());
  expect_sane_table(*madt, "APIC");
  EXPECT_EQ(count_entries(*madt).overrides, 1U);
  // After 44 header bytes and one 8-byte LAPIC entry: the IOAPIC.
  EXPECT_EQ((*madt)[52], 1);
  EXPECT_EQ((*madt)[54], 3);
  EXPECT_EQ(le32(*madt, 56), 0xFEC0'0000U);
  EXPECT_EQ(le32(*madt, 60), 0U);  // GSI base
  // The override: ISA IRQ 0 -> GSI 2.
  EXPECT_EQ(Bytes(madt->begin() + 64, madt->begin() + 74), (Bytes{2, 10, 0, 0, 2, 0, 0, 0, 0, 0}));
}

TEST(Madt, RejectsZeroAndTooManyVcpus) {
  EXPECT_EQ(build_madt({}, {0, false, 0}).error().code(), AcpiErrc::kNoVcpus);
  EXPECT_EQ(build_madt({}, {kMaxVcpus + 1, false, 0}).error().code(), AcpiErrc::kTooManyVcpus);
}

}  // namespace
}  // namespace vmm::acpi
