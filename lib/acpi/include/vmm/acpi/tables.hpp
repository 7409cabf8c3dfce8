// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <vmm/acpi/aml.hpp>
#include <vmm/acpi/error.hpp>
#include <vmm/base/export.hpp>
#include <vmm/base/result.hpp>
#include <vmm/memory/guest_address.hpp>
#include <vmm/memory/guest_memory.hpp>

// ACPI tables for a hardware-reduced x86-64 guest (ACPI 6.5, 5.2): the RSDP
// points at the XSDT, which lists the FADT and the MADT; the FADT points at
// the DSDT. Every builder returns finished bytes: the length field equals
// the size and the checksum (computed last) makes the bytes sum to 0.
namespace vmm::acpi {

using Bytes = aml::Bytes;

// OEMID (6 chars), OEM Table ID (8 chars), OEM Revision of every table's
// header (5.2.6); shorter ids are padded with spaces. Printable ASCII only.
struct OemIds {
  std::string oem_id = "VMMKIT";
  std::string table_id = "VMMKITVM";
  uint32_t revision = 1;
};

// Generic Address Structure (5.2.3.2).
enum class AddressSpace : uint8_t { kSystemMemory = 0, kSystemIo = 1 };
struct GenericAddress {
  AddressSpace space = AddressSpace::kSystemIo;
  uint8_t bit_width = 8;
  uint8_t bit_offset = 0;
  uint8_t access_size = 1;  // 1 byte, 2 word, 3 dword, 4 qword
  uint64_t address = 0;
};

// Sum of the bytes' two's complement: the value that makes them sum to 0.
[[nodiscard]] VMM_API uint8_t checksum(std::span<const uint8_t> bytes);

// RSDP revision 2 (5.2.5.3), 36 bytes; both checksums set. No RSDT.
VMM_API Result<Bytes> build_rsdp(const OemIds& oem, uint64_t xsdt_address);
// XSDT (5.2.8): the 64-bit addresses of the other tables except the DSDT.
VMM_API Result<Bytes> build_xsdt(const OemIds& oem, std::span<const uint64_t> table_addresses);

struct FadtConfig {
  uint64_t dsdt_address = 0;
  GenericAddress sleep_control;  // SLEEP_CONTROL_REG: the guest writes SLP_TYP << 2 | SLP_EN (bit 5)
  GenericAddress sleep_status;   // SLEEP_STATUS_REG: WAK_STS is bit 7
  bool i8042 = true;             // IAPC_BOOT_ARCH 8042: Linux probes the i8042 only when set
  bool cmos_rtc = true;          // clear: IAPC_BOOT_ARCH "CMOS RTC Not Present"
};
// FADT revision 6, minor 5 (5.2.9), 276 bytes: HW_REDUCED_ACPI, no fixed
// power/sleep buttons, X_DSDT, hypervisor vendor identity "VMMKIT".
VMM_API Result<Bytes> build_fadt(const OemIds& oem, const FadtConfig& config);

struct MadtConfig {
  uint32_t vcpus = 1;          // APIC id = vCPU index = ACPI processor UID
  bool irq0_override = false;  // ISA IRQ 0 -> GSI 2 interrupt source override
  uint8_t ioapic_id = 0;
};
// APIC ids up to 254 fit a Processor Local APIC entry; larger ones (255 is
// the xAPIC broadcast id) need Processor Local x2APIC entries.
inline constexpr uint32_t kMaxXapicId = 254;
inline constexpr uint32_t kMaxVcpus = 1024;
inline constexpr unsigned kIoapicPins = 24;  // KVM's in-kernel IOAPIC
inline constexpr uint64_t kIoapicAddress = 0xFEC0'0000;
inline constexpr uint64_t kLapicAddress = 0xFEE0'0000;
// MADT revision 5 (5.2.12): LAPIC address, PCAT_COMPAT clear, one entry per
// vCPU, the IOAPIC (GSI base 0) and optionally the IRQ 0 override.
VMM_API Result<Bytes> build_madt(const OemIds& oem, const MadtConfig& config);

// DSDT revision 2 (64-bit integers, 5.2.11.1) around an AML body.
VMM_API Result<Bytes> build_dsdt(const OemIds& oem, std::span<const uint8_t> aml);

// --- The tables for one machine --------------------------------------------

// A virtio-mmio transport: Linux binds "LNRO0005" devices to virtio_mmio.
struct VirtioMmioDevice {
  uint64_t base = 0;
  uint64_t size = 0x1000;
  uint32_t irq = 0;  // GSI, an IOAPIC pin
};
// A 16550 UART ("PNP0501") at 8 I/O ports.
struct SerialPort {
  uint16_t io_base = 0x3F8;
  uint32_t irq = 4;
};
// The power button: a Generic Event Device ("ACPI0013", 5.6.9) with one
// 32-bit MMIO event register. On its interrupt the guest runs _EVT, which
// reads the register and, if bit 0 is set, notifies \_SB.PWRB ("PNP0C0C")
// with 0x80 (a power-button press: Linux's button driver sends KEY_POWER).
// The device model sets the bit, raises the IRQ and clears the bit on read.
struct PowerButton {
  uint64_t ged_base = 0;
  uint32_t irq = 0;
};
inline constexpr uint64_t kGedRegisterSize = 4;
inline constexpr uint32_t kGedPowerButtonEvent = 1U << 0;

struct AcpiConfig {
  uint32_t vcpus = 1;
  std::vector<VirtioMmioDevice> virtio_mmio;
  std::vector<SerialPort> serial_ports;
  std::optional<PowerButton> power_button;
  GenericAddress sleep_control;
  GenericAddress sleep_status;
  uint8_t s5_sleep_type = 5;  // the SLP_TYP written to sleep_control for S5 (soft off)
  bool irq0_override = false;
  uint8_t ioapic_id = 0;  // the MP table uses the vCPU count; pass the same when both are built
  bool i8042 = true;
  bool cmos_rtc = true;
  // The pvpanic I/O port ("QEMU0001", QEMU's ISA pvpanic), if the machine has one.
  std::optional<uint16_t> pvpanic_port;
  OemIds oem;
  // Where the tables go: the RSDP at window_start (16-byte aligned, so
  // Linux's legacy scan of 0xE0000-0xFFFFF finds it), the rest after it.
  GuestAddress window_start{0xE0000};
  uint64_t window_size = 0x20000;
};

inline constexpr size_t kMaxVirtioMmioDevices = kIoapicPins;
inline constexpr size_t kMaxSerialPorts = 4;

struct AcpiTable {
  std::string signature;  // "RSD PTR " for the RSDP
  GuestAddress address;
  Bytes bytes;
};
struct AcpiTables {
  GuestAddress rsdp_address;
  std::vector<AcpiTable> tables;  // RSDP, XSDT, FADT, MADT, DSDT in address order
};

// The DSDT body for the config: \_SB with the serial ports (COM1..),
// virtio-mmio devices (VR00..), PWRB and GED_, then \_S5_. Validates first.
VMM_API Result<Bytes> build_dsdt_aml(const AcpiConfig& config);
// Validates the config (every rejection a named AcpiErrc) and lays the
// tables out in the window.
VMM_API Result<AcpiTables> build_acpi_tables(const AcpiConfig& config);
VMM_API Result<void> write_acpi_tables(GuestMemory& memory, const AcpiTables& tables);

}  // namespace vmm::acpi
