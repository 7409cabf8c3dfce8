// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/arch/mptable.hpp>

#include <cstring>
#include <numeric>
#include <string>

#include <vmm/arch/error.hpp>

namespace vmm::x86_64 {
namespace {

// CPU signature and features of the processor entries: family 6, with an
// FPU and an on-chip APIC (CPUID.1:EDX bits 0 and 9). Linux reads the real
// values from CPUID.
constexpr uint32_t kCpuSignature = 6 << 8;
constexpr uint32_t kCpuFeatures = (1 << 0) | (1 << 9);

class TableWriter {
 public:
  template <typename T>
  void append(const T& entry) {
    const auto* bytes = reinterpret_cast<const uint8_t*>(&entry);
    bytes_.insert(bytes_.end(), bytes, bytes + sizeof(T));
  }
  std::vector<uint8_t>& bytes() { return bytes_; }

 private:
  std::vector<uint8_t> bytes_;
};

// The value that makes [first, first + len) sum to 0 mod 256 when stored in
// a byte of it that is 0 now (MP spec 4.1 and 4.2).
uint8_t checksum(const std::vector<uint8_t>& bytes, size_t first, size_t len) {
  auto begin = bytes.begin() + static_cast<ptrdiff_t>(first);
  return static_cast<uint8_t>(-std::accumulate(begin, begin + static_cast<ptrdiff_t>(len), 0U));
}

mp::FloatingPointer floating_pointer() {
  mp::FloatingPointer fp{};
  std::memcpy(fp.signature, "_MP_", 4);
  fp.config_table = static_cast<uint32_t>(kMpTableStart + sizeof(mp::FloatingPointer));
  fp.length = 1;
  fp.spec_rev = mp::kSpecRevision;
  return fp;
}

mp::ConfigHeader config_header(unsigned num_cpus) {
  mp::ConfigHeader header{};
  std::memcpy(header.signature, "PCMP", 4);
  header.base_length = static_cast<uint16_t>(mptable_size(num_cpus) - sizeof(mp::FloatingPointer));
  header.spec_rev = mp::kSpecRevision;
  std::memcpy(header.oem_id, "VMMKIT  ", 8);
  std::memcpy(header.product_id, "VMMKIT      ", 12);
  header.entry_count = static_cast<uint16_t>(num_cpus + 2 + kIoapicPins + 2);
  header.lapic_address = static_cast<uint32_t>(kLapicStart);
  return header;
}

void append_processors(TableWriter& table, unsigned num_cpus) {
  for (unsigned cpu = 0; cpu < num_cpus; ++cpu) {
    mp::ProcessorEntry entry{};
    entry.type = mp::kProcessor;
    entry.lapic_id = static_cast<uint8_t>(cpu);
    entry.lapic_version = kLapicVersion;
    entry.flags = mp::kCpuEnabled | (cpu == 0 ? mp::kCpuBootProcessor : 0);
    entry.signature = kCpuSignature;
    entry.features = kCpuFeatures;
    table.append(entry);
  }
}

void append_interrupts(TableWriter& table, uint8_t ioapic_id) {
  for (unsigned pin = 0; pin < kIoapicPins; ++pin) {
    auto irq = static_cast<uint8_t>(pin);
    table.append(mp::InterruptEntry{mp::kIoInterrupt, mp::kInt, 0, 0, irq, ioapic_id, irq});
  }
  table.append(mp::InterruptEntry{mp::kLocalInterrupt, mp::kExtInt, 0, 0, 0, mp::kAllLocalApics, 0});
  table.append(mp::InterruptEntry{mp::kLocalInterrupt, mp::kNmi, 0, 0, 0, mp::kAllLocalApics, 1});
}

}  // namespace

Result<std::vector<uint8_t>> build_mptable(unsigned num_cpus) {
  if (num_cpus == 0 || num_cpus > kMpTableMaxCpus) {
    return Error(ArchErrc::kTooManyVcpus, "MP table: " + std::to_string(num_cpus) + " vCPUs, 1 to " +
                                              std::to_string(kMpTableMaxCpus) + " fit");
  }
  auto ioapic_id = static_cast<uint8_t>(num_cpus);
  TableWriter table;
  table.append(floating_pointer());
  table.append(config_header(num_cpus));
  append_processors(table, num_cpus);
  table.append(mp::BusEntry{mp::kBus, 0, {'I', 'S', 'A', ' ', ' ', ' '}});
  table.append(mp::IoapicEntry{mp::kIoapic, ioapic_id, kIoapicVersion, mp::kIoapicEnabled,
                               static_cast<uint32_t>(kIoapicStart)});
  append_interrupts(table, ioapic_id);

  std::vector<uint8_t>& bytes = table.bytes();
  constexpr size_t kHeader = sizeof(mp::FloatingPointer);
  bytes[offsetof(mp::FloatingPointer, checksum)] = checksum(bytes, 0, kHeader);
  bytes[kHeader + offsetof(mp::ConfigHeader, checksum)] = checksum(bytes, kHeader, bytes.size() - kHeader);
  return std::move(bytes);
}

Result<void> write_mptable(GuestMemory& memory, unsigned num_cpus) {
  VMM_TRY_ASSIGN(std::vector<uint8_t> bytes, build_mptable(num_cpus));
  auto written = memory.write(GuestAddress(kMpTableStart), bytes);
  if (!written) return written.error().with_context("writing the MP table");
  return ok();
}

}  // namespace vmm::x86_64
