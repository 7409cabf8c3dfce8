// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <cstring>
#include <numeric>
#include <string>

#include <vmm/arch/error.hpp>
#include <vmm/arch/layout.hpp>
#include <vmm/arch/mptable.hpp>
#include <vmm/base/bytes.hpp>

#include "test_memory.hpp"

namespace vmm::x86_64 {
namespace {

using test::kMiB;

uint8_t sum(std::span<const uint8_t> bytes) {
  return static_cast<uint8_t>(std::accumulate(bytes.begin(), bytes.end(), 0U));
}

// What a guest finds: the floating pointer as Linux's smp_scan_config looks
// for it (16-byte steps through the EBDA), then the table it points to.
struct ParsedTable {
  mp::FloatingPointer pointer{};
  mp::ConfigHeader header{};
  std::vector<uint8_t> base;  // header + entries
  std::vector<mp::ProcessorEntry> cpus;
  std::vector<mp::IoapicEntry> ioapics;
  std::vector<mp::InterruptEntry> io_interrupts, local_interrupts;
  std::vector<mp::BusEntry> buses;
};

template <typename T>
void parse_entry(const std::vector<uint8_t>& base, size_t& offset, std::vector<T>& out) {
  auto entry = load_struct<T>(base, offset);
  ASSERT_TRUE(entry) << "entry past the end at " << offset;
  out.push_back(*entry);
  offset += sizeof(T);
}

void parse_entries(ParsedTable& table) {
  size_t offset = sizeof(mp::ConfigHeader);
  for (unsigned i = 0; i < table.header.entry_count; ++i) {
    ASSERT_LT(offset, table.base.size());
    switch (table.base[offset]) {
      case mp::kProcessor:
        parse_entry(table.base, offset, table.cpus);
        break;
      case mp::kBus:
        parse_entry(table.base, offset, table.buses);
        break;
      case mp::kIoapic:
        parse_entry(table.base, offset, table.ioapics);
        break;
      case mp::kIoInterrupt:
        parse_entry(table.base, offset, table.io_interrupts);
        break;
      case mp::kLocalInterrupt:
        parse_entry(table.base, offset, table.local_interrupts);
        break;
      default:
        FAIL() << "unknown entry type " << int{table.base[offset]};
    }
  }
  EXPECT_EQ(offset, table.base.size());
}

ParsedTable parse(const GuestMemory& memory) {
  ParsedTable table;
  uint64_t addr = kEbdaStart;
  for (; addr < kEbdaStart + 1024; addr += 16) {
    table.pointer = test::read_at<mp::FloatingPointer>(memory, addr);
    if (std::memcmp(table.pointer.signature, "_MP_", 4) == 0) break;
  }
  EXPECT_LT(addr, kEbdaStart + 1024) << "no floating pointer";
  EXPECT_EQ(sum(test::read_bytes(memory, addr, sizeof(mp::FloatingPointer))), 0);
  table.header = test::read_at<mp::ConfigHeader>(memory, table.pointer.config_table);
  table.base = test::read_bytes(memory, table.pointer.config_table, table.header.base_length);
  parse_entries(table);
  return table;
}

TEST(MpTable, ParsesBackWithValidChecksums) {
  auto memory = test::make_memory(32 * kMiB);
  ASSERT_TRUE(write_mptable(memory, 4));
  ParsedTable table = parse(memory);
  EXPECT_EQ(table.pointer.length, 1);
  EXPECT_EQ(table.pointer.spec_rev, 4);
  EXPECT_EQ(table.pointer.features[0], 0);  // configuration table present
  EXPECT_EQ(std::string(table.header.signature, 4), "PCMP");
  EXPECT_EQ(table.header.spec_rev, 4);
  EXPECT_EQ(std::string(table.header.oem_id, 6), "VMMKIT");
  EXPECT_EQ(table.header.lapic_address, 0xfee0'0000u);
  EXPECT_EQ(sum(table.base), 0);
  EXPECT_LE(table.pointer.config_table + table.header.base_length, kMpTableEnd);
}

TEST(MpTable, OneProcessorEntryPerVcpu) {
  auto memory = test::make_memory(32 * kMiB);
  ASSERT_TRUE(write_mptable(memory, 3));
  ParsedTable table = parse(memory);
  ASSERT_EQ(table.cpus.size(), 3u);
  for (uint8_t i = 0; i < 3; ++i) {
    EXPECT_EQ(table.cpus[i].lapic_id, i);
    EXPECT_EQ(table.cpus[i].lapic_version, 0x14);
    EXPECT_TRUE(table.cpus[i].flags & mp::kCpuEnabled);
    EXPECT_EQ((table.cpus[i].flags & mp::kCpuBootProcessor) != 0, i == 0);
  }
}

TEST(MpTable, IsaBusIoapicAndInterrupts) {
  auto memory = test::make_memory(32 * kMiB);
  ASSERT_TRUE(write_mptable(memory, 2));
  ParsedTable table = parse(memory);
  ASSERT_EQ(table.buses.size(), 1u);
  EXPECT_EQ(std::string(table.buses[0].bus_type, 6), "ISA   ");
  ASSERT_EQ(table.ioapics.size(), 1u);
  EXPECT_EQ(table.ioapics[0].ioapic_id, 2);  // after the vCPUs' APIC ids
  EXPECT_EQ(table.ioapics[0].ioapic_version, 0x11);
  EXPECT_EQ(table.ioapics[0].flags, mp::kIoapicEnabled);
  EXPECT_EQ(table.ioapics[0].address, 0xfec0'0000u);

  ASSERT_EQ(table.io_interrupts.size(), kIoapicPins);
  for (unsigned irq = 0; irq < kIoapicPins; ++irq) {
    const mp::InterruptEntry& entry = table.io_interrupts[irq];
    EXPECT_EQ(entry.interrupt_type, mp::kInt);
    EXPECT_EQ(entry.flags, 0);  // conforms to the ISA bus
    EXPECT_EQ(entry.source_bus, 0);
    EXPECT_EQ(entry.source_irq, irq);
    EXPECT_EQ(entry.dest_apic, 2);
    EXPECT_EQ(entry.dest_pin, irq);  // KVM's default routing: IRQ 0 on pin 0
  }
  ASSERT_EQ(table.local_interrupts.size(), 2u);
  EXPECT_EQ(table.local_interrupts[0].interrupt_type, mp::kExtInt);
  EXPECT_EQ(table.local_interrupts[0].dest_apic, 0xff);
  EXPECT_EQ(table.local_interrupts[0].dest_pin, 0);
  EXPECT_EQ(table.local_interrupts[1].interrupt_type, mp::kNmi);
  EXPECT_EQ(table.local_interrupts[1].dest_apic, 0xff);
  EXPECT_EQ(table.local_interrupts[1].dest_pin, 1);
}

TEST(MpTable, LargestTableFitsTheEbda) {
  EXPECT_EQ(kMpTableMaxCpus, 37u);
  auto bytes = build_mptable(kMpTableMaxCpus);
  ASSERT_TRUE(bytes);
  EXPECT_LE(bytes->size(), kMpTableEnd - kMpTableStart);
  EXPECT_EQ(bytes->size(), mptable_size(kMpTableMaxCpus));
  EXPECT_GT(mptable_size(kMpTableMaxCpus + 1), kMpTableEnd - kMpTableStart);

  auto memory = test::make_memory(32 * kMiB);
  ASSERT_TRUE(write_mptable(memory, kMpTableMaxCpus));
  ParsedTable table = parse(memory);
  EXPECT_EQ(table.cpus.size(), kMpTableMaxCpus);
  EXPECT_EQ(sum(table.base), 0);
}

TEST(MpTable, RejectsNoOrTooManyVcpus) {
  EXPECT_EQ(build_mptable(0).error().code(), ArchErrc::kTooManyVcpus);
  EXPECT_EQ(build_mptable(kMpTableMaxCpus + 1).error().code(), ArchErrc::kTooManyVcpus);
}

}  // namespace
}  // namespace vmm::x86_64
