// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstddef>
#include <cstdint>

// Structures of the Intel MultiProcessor Specification 1.4 (chapter 4, "MP
// Configuration Table"), little endian, no padding. Public so that tests and
// tools can parse what write_mptable() wrote.
namespace vmm::x86_64::mp {

inline constexpr uint8_t kSpecRevision = 4;  // 1.4

// 4.1: found by the OS on a 16-byte boundary in the EBDA's first KiB.
struct FloatingPointer {
  char signature[4];  // "_MP_"
  uint32_t config_table;
  uint8_t length;  // in 16-byte paragraphs: 1
  uint8_t spec_rev;
  uint8_t checksum;     // all 16 bytes sum to 0
  uint8_t features[5];  // [0] = 0: a configuration table is present; [1] bit 7 = 0: virtual wire
};

// 4.2: followed by `entry_count` entries, `base_length` bytes in all.
struct ConfigHeader {
  char signature[4];  // "PCMP"
  uint16_t base_length;
  uint8_t spec_rev;
  uint8_t checksum;  // the base table sums to 0
  char oem_id[8];
  char product_id[12];
  uint32_t oem_table;
  uint16_t oem_table_size;
  uint16_t entry_count;
  uint32_t lapic_address;
  uint16_t extended_length;
  uint8_t extended_checksum;
  uint8_t reserved;
};

enum EntryType : uint8_t {
  kProcessor = 0,
  kBus = 1,
  kIoapic = 2,
  kIoInterrupt = 3,
  kLocalInterrupt = 4,
};

// 4.3.1
struct ProcessorEntry {
  uint8_t type;
  uint8_t lapic_id;
  uint8_t lapic_version;
  uint8_t flags;       // kCpuEnabled | kCpuBootProcessor
  uint32_t signature;  // CPUID.1:EAX stepping/model/family
  uint32_t features;   // CPUID.1:EDX
  uint32_t reserved[2];
};
inline constexpr uint8_t kCpuEnabled = 1 << 0;
inline constexpr uint8_t kCpuBootProcessor = 1 << 1;

// 4.3.2
struct BusEntry {
  uint8_t type;
  uint8_t bus_id;
  char bus_type[6];  // "ISA   "
};

// 4.3.3
struct IoapicEntry {
  uint8_t type;
  uint8_t ioapic_id;
  uint8_t ioapic_version;
  uint8_t flags;  // kIoapicEnabled
  uint32_t address;
};
inline constexpr uint8_t kIoapicEnabled = 1 << 0;

// 4.3.4 (I/O interrupt assignment) and 4.3.5 (local interrupt assignment)
// share one layout; the destination is an IOAPIC pin or a LINTINn.
struct InterruptEntry {
  uint8_t type;
  uint8_t interrupt_type;  // InterruptType
  uint16_t flags;          // polarity 1..0, trigger 3..2; 0 = conforms to the bus
  uint8_t source_bus;
  uint8_t source_irq;
  uint8_t dest_apic;  // IOAPIC id, or local APIC id (0xff: all)
  uint8_t dest_pin;   // INTINn of the IOAPIC, or LINTINn
};
enum InterruptType : uint8_t {
  kInt = 0,
  kNmi = 1,
  kSmi = 2,
  kExtInt = 3,
};
inline constexpr uint8_t kAllLocalApics = 0xff;

static_assert(sizeof(FloatingPointer) == 16);
static_assert(sizeof(ConfigHeader) == 44);
static_assert(offsetof(ConfigHeader, entry_count) == 34 && offsetof(ConfigHeader, lapic_address) == 36);
static_assert(sizeof(ProcessorEntry) == 20);
static_assert(sizeof(BusEntry) == 8);
static_assert(sizeof(IoapicEntry) == 8);
static_assert(sizeof(InterruptEntry) == 8);

}  // namespace vmm::x86_64::mp
