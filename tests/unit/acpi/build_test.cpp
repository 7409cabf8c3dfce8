// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// build_acpi_tables: layout in the window, links between tables, every
// rejection, and writing into guest memory.
#include <gtest/gtest.h>

#include <string>

#include "test_config.hpp"

namespace vmm::acpi {
namespace {

using test::byte_sum;
using test::le32;
using test::le64;
using test::typical_config;

const AcpiTable& find(const AcpiTables& tables, const std::string& signature) {
  for (const AcpiTable& table : tables.tables)
    if (table.signature == signature) return table;
  ADD_FAILURE() << "no " << signature;
  return tables.tables.front();
}

TEST(Build, LaysTablesOutInTheWindow) {
  auto tables = build_acpi_tables(typical_config());
  ASSERT_TRUE(tables.ok()) << tables.error().message();
  EXPECT_EQ(tables->rsdp_address, GuestAddress(0xE0000));
  ASSERT_EQ(tables->tables.size(), 5U);
  uint64_t previous_end = 0xE0000;
  for (const AcpiTable& table : tables->tables) {
    EXPECT_EQ(table.address.value() % 16, 0U) << table.signature;
    EXPECT_GE(table.address.value(), previous_end) << table.signature;
    previous_end = table.address.value() + table.bytes.size();
    EXPECT_LE(previous_end, 0x100000U);
    EXPECT_EQ(byte_sum(table.bytes), 0) << table.signature;
    if (table.signature != "RSD PTR ") {
      EXPECT_EQ(std::string(table.bytes.begin(), table.bytes.begin() + 4), table.signature);
      EXPECT_EQ(le32(table.bytes, 4), table.bytes.size()) << table.signature;
    }
  }
}

TEST(Build, TablesPointAtEachOther) {
  auto tables = build_acpi_tables(typical_config());
  ASSERT_TRUE(tables.ok());
  const AcpiTable& rsdp = find(*tables, "RSD PTR ");
  const AcpiTable& xsdt = find(*tables, "XSDT");
  EXPECT_EQ(byte_sum(std::span(rsdp.bytes).first(20)), 0);
  EXPECT_EQ(le64(rsdp.bytes, 24), xsdt.address.value());
  EXPECT_EQ(le64(xsdt.bytes, 36), find(*tables, "FACP").address.value());
  EXPECT_EQ(le64(xsdt.bytes, 44), find(*tables, "APIC").address.value());
  EXPECT_EQ(le64(find(*tables, "FACP").bytes, 140), find(*tables, "DSDT").address.value());
}

TEST(Build, WritesIntoGuestMemory) {
  const RegionSpec regions[] = {{GuestAddress(0), 0x100000}};
  auto memory = GuestMemory::create(regions);
  ASSERT_TRUE(memory.ok());
  auto tables = build_acpi_tables(typical_config());
  ASSERT_TRUE(tables.ok());
  ASSERT_TRUE(write_acpi_tables(*memory, *tables).ok());
  for (const AcpiTable& table : tables->tables) {
    Bytes read_back(table.bytes.size());
    ASSERT_TRUE(memory->read(table.address, read_back).ok());
    EXPECT_EQ(read_back, table.bytes);
  }
  const RegionSpec small[] = {{GuestAddress(0), 0x80000}};
  auto too_small = GuestMemory::create(small);
  ASSERT_TRUE(too_small.ok());
  EXPECT_FALSE(write_acpi_tables(*too_small, *tables).ok());
}

AcpiErrc rejection(const AcpiConfig& config) {
  auto tables = build_acpi_tables(config);
  EXPECT_FALSE(tables.ok());
  if (tables.ok()) return AcpiErrc{};
  EXPECT_FALSE(tables.error().context().empty());
  return static_cast<AcpiErrc>(tables.error().code().value());
}

TEST(Build, RejectsBadVcpuCounts) {
  EXPECT_EQ(rejection(typical_config(0)), AcpiErrc::kNoVcpus);
  EXPECT_EQ(rejection(typical_config(kMaxVcpus + 1)), AcpiErrc::kTooManyVcpus);
}

TEST(Build, RejectsTooManyDevices) {
  AcpiConfig config = typical_config();
  config.virtio_mmio.resize(kMaxVirtioMmioDevices + 1);
  EXPECT_EQ(rejection(config), AcpiErrc::kTooManyDevices);
  config = typical_config();
  config.serial_ports.resize(kMaxSerialPorts + 1);
  EXPECT_EQ(rejection(config), AcpiErrc::kTooManyDevices);
}

TEST(Build, RejectsBadDeviceWindows) {
  AcpiConfig config = typical_config();
  config.virtio_mmio[1].base = 0xD000'0800;  // overlaps device 0
  EXPECT_EQ(rejection(config), AcpiErrc::kInvalidDeviceWindow);
  config = typical_config();
  config.virtio_mmio[0].size = 0;
  EXPECT_EQ(rejection(config), AcpiErrc::kInvalidDeviceWindow);
  config.virtio_mmio[0] = {0xFFFF'FFFF'FFFF'F000, 0x2000, 5};  // wraps
  EXPECT_EQ(rejection(config), AcpiErrc::kInvalidDeviceWindow);
  config.virtio_mmio[0] = {0xFFFF'F000, 0x2000, 5};  // crosses 4 GiB
  EXPECT_EQ(rejection(config), AcpiErrc::kInvalidDeviceWindow);
  config.virtio_mmio[0] = {0xFEC0'0000, 0x1000, 5};  // on the IOAPIC
  EXPECT_EQ(rejection(config), AcpiErrc::kInvalidDeviceWindow);
  config.virtio_mmio[0] = {0xF0000, 0x1000, 5};  // inside the table window
  EXPECT_EQ(rejection(config), AcpiErrc::kInvalidDeviceWindow);
  config = typical_config();
  config.power_button->ged_base = 0xD000'0FFE;  // GED register straddles device 0
  EXPECT_EQ(rejection(config), AcpiErrc::kInvalidDeviceWindow);
  config = typical_config();
  config.serial_ports.push_back({0x3FC, 3});  // overlaps COM1's 8 ports
  EXPECT_EQ(rejection(config), AcpiErrc::kInvalidDeviceWindow);
  config.serial_ports[1] = {0xFFFC, 3};  // past the I/O space
  EXPECT_EQ(rejection(config), AcpiErrc::kInvalidDeviceWindow);
}

TEST(Build, RejectsBadIrqs) {
  AcpiConfig config = typical_config();
  config.virtio_mmio[0].irq = 24;  // the IOAPIC has pins 0-23
  EXPECT_EQ(rejection(config), AcpiErrc::kInvalidIrq);
  config.virtio_mmio[0].irq = 0;  // the timer's
  EXPECT_EQ(rejection(config), AcpiErrc::kInvalidIrq);
  config.virtio_mmio[0].irq = 6;  // device 1's
  EXPECT_EQ(rejection(config), AcpiErrc::kInvalidIrq);
  config = typical_config();
  config.power_button->irq = 4;  // COM1's
  EXPECT_EQ(rejection(config), AcpiErrc::kInvalidIrq);
}

TEST(Build, RejectsBadRegistersOemAndWindow) {
  AcpiConfig config = typical_config();
  config.sleep_control.address = 0;
  EXPECT_EQ(rejection(config), AcpiErrc::kInvalidRegister);
  config = typical_config();
  config.sleep_status = {AddressSpace::kSystemIo, 8, 0, 1, 0x10000};
  EXPECT_EQ(rejection(config), AcpiErrc::kInvalidRegister);
  config.sleep_status = {static_cast<AddressSpace>(7), 8, 0, 1, 0x601};
  EXPECT_EQ(rejection(config), AcpiErrc::kInvalidRegister);
  config = typical_config();
  config.oem.table_id = "MUCH-TOO-LONG";
  EXPECT_EQ(rejection(config), AcpiErrc::kInvalidOemId);
  config = typical_config();
  config.window_start = GuestAddress(0xE0008);
  EXPECT_EQ(rejection(config), AcpiErrc::kInvalidWindow);
  config.window_start = GuestAddress(0xFFFF'FFFF'FFFF'FFF0);
  EXPECT_EQ(rejection(config), AcpiErrc::kInvalidWindow);
  config = typical_config();
  config.window_size = 0x100;  // RSDP, XSDT and part of the FADT only
  EXPECT_EQ(rejection(config), AcpiErrc::kWindowTooSmall);
  config = typical_config(kMaxVcpus);
  config.window_size = 0x1000;  // the MADT of 1024 vCPUs is ~14 KiB
  EXPECT_EQ(rejection(config), AcpiErrc::kWindowTooSmall);
}

TEST(Build, ErrorsNameTheProblem) {
  AcpiConfig config = typical_config();
  config.virtio_mmio[1].irq = 30;
  auto tables = build_acpi_tables(config);
  ASSERT_FALSE(tables.ok());
  EXPECT_NE(tables.error().message().find("virtio-mmio device 1: IRQ 30"), std::string::npos)
      << tables.error().message();
}

TEST(Build, MinimalMachine) {
  AcpiConfig config;
  config.sleep_control.address = 0x600;
  config.sleep_status.address = 0x601;
  auto tables = build_acpi_tables(config);
  ASSERT_TRUE(tables.ok()) << tables.error().message();
  EXPECT_EQ(tables->tables.size(), 5U);
}

}  // namespace
}  // namespace vmm::acpi
