// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Multiple APIC Description Table (ACPI 6.5, 5.2.12).
#include <string>

#include "table_header.hpp"

namespace vmm::acpi {
namespace {

using detail::append_le;

// Interrupt controller structure types (Table 5.21).
constexpr uint8_t kLocalApic = 0;
constexpr uint8_t kIoApic = 1;
constexpr uint8_t kSourceOverride = 2;
constexpr uint8_t kLocalX2apic = 9;
constexpr uint32_t kEnabled = 1;  // Local APIC flags bit 0

void append_cpu(Bytes& out, uint32_t cpu) {
  if (cpu <= kMaxXapicId) {  // Processor Local APIC (5.2.12.2), 8 bytes
    out.insert(out.end(), {kLocalApic, 8, static_cast<uint8_t>(cpu), static_cast<uint8_t>(cpu)});
    append_le(out, kEnabled, 4);
    return;
  }
  out.insert(out.end(), {kLocalX2apic, 16, 0, 0});  // Processor Local x2APIC (5.2.12.12), 16 bytes
  append_le(out, cpu, 4);                           // x2APIC id
  append_le(out, kEnabled, 4);
  append_le(out, cpu, 4);  // ACPI processor UID
}

}  // namespace

Result<Bytes> build_madt(const OemIds& oem, const MadtConfig& config) {
  VMM_TRY(detail::validate_oem(oem));
  if (config.vcpus == 0) return Error(AcpiErrc::kNoVcpus, "MADT: a machine needs at least one vCPU");
  if (config.vcpus > kMaxVcpus)
    return Error(AcpiErrc::kTooManyVcpus, "MADT: " + std::to_string(config.vcpus) + " vCPUs, at most " +
                                              std::to_string(kMaxVcpus) + " supported");
  Bytes out = detail::table_header("APIC", 5, oem);
  append_le(out, kLapicAddress, 4);
  append_le(out, 0, 4);  // Flags: PCAT_COMPAT clear, there is no 8259 pair to mask
  for (uint32_t cpu = 0; cpu < config.vcpus; ++cpu) append_cpu(out, cpu);
  // I/O APIC (5.2.12.3), 12 bytes: id, reserved, address, GSI base 0.
  out.insert(out.end(), {kIoApic, 12, config.ioapic_id, 0});
  append_le(out, kIoapicAddress, 4);
  append_le(out, 0, 4);
  if (config.irq0_override) {
    // Interrupt Source Override (5.2.12.5), 10 bytes: ISA bus, IRQ 0 -> GSI 2,
    // flags 0 (conforms to the bus: edge, active high).
    out.insert(out.end(), {kSourceOverride, 10, 0, 0});
    append_le(out, 2, 4);
    append_le(out, 0, 2);
  }
  return detail::finish_table(std::move(out));
}

}  // namespace vmm::acpi
