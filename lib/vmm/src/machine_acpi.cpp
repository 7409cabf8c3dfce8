// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "machine_acpi.hpp"

#include <vmm/acpi/tables.hpp>
#include <vmm/arch/layout.hpp>
#include <vmm/devices/pvpanic_port.hpp>

namespace vmm {
namespace {

acpi::GenericAddress io_byte(uint16_t port) {
  return acpi::GenericAddress{acpi::AddressSpace::kSystemIo, 8, 0, 1, port};
}

acpi::AcpiConfig machine_acpi_config(const MachineConfig& config, std::span<const VirtioSlot> virtio) {
  acpi::AcpiConfig acpi;
  for (const auto& slot : virtio) acpi.virtio_mmio.push_back(acpi::VirtioMmioDevice{slot.base, slot.size, slot.gsi});
  acpi.vcpus = config.vcpu.num;
  acpi.serial_ports = {acpi::SerialPort{0x3F8, 4}};  // COM1, as MachineDevices attaches it
  acpi.power_button = acpi::PowerButton{kAcpiGedBase, kAcpiGedIrq};
  acpi.pvpanic_port = PvPanicPort::kPort;  // as MachineDevices attaches it
  acpi.sleep_control = io_byte(kAcpiSleepControlPort);
  acpi.sleep_status = io_byte(kAcpiSleepStatusPort);
  acpi.s5_sleep_type = kAcpiS5SleepType;
  // The MP table (written as well) gives the IOAPIC the id after the last
  // CPU; both tables must agree.
  acpi.ioapic_id = static_cast<uint8_t>(config.vcpu.num);
  acpi.window_start = GuestAddress(x86_64::kAcpiTablesStart);
  acpi.window_size = x86_64::kAcpiTablesSize;
  return acpi;
}

}  // namespace

Result<GuestAddress> write_machine_acpi(const MachineConfig& config, std::span<const VirtioSlot> virtio,
                                        GuestMemory& memory) {
  auto tables = acpi::build_acpi_tables(machine_acpi_config(config, virtio));
  if (!tables) return tables.error().with_context("ACPI tables");
  if (auto written = acpi::write_acpi_tables(memory, *tables); !written)
    return written.error().with_context("writing ACPI tables");
  return tables->rsdp_address;
}

}  // namespace vmm
