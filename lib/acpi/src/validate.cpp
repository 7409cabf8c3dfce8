// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "validate.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include <vmm/base/bytes.hpp>

#include "table_header.hpp"

namespace vmm::acpi::detail {
namespace {

struct Window {
  std::string what;
  uint64_t base;
  uint64_t size;
};

std::string hex(uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(value));
  return text;
}

std::string describe(const Window& w) { return w.what + " [" + hex(w.base) + ", +" + hex(w.size) + ")"; }

// Non-empty, not wrapping, ending at or below `limit`, pairwise disjoint.
Result<void> check_windows(std::vector<Window> windows, uint64_t limit) {
  for (const Window& w : windows) {
    const auto end = checked_add(w.base, w.size);
    if (w.size == 0 || !end || *end > limit)
      return Error(AcpiErrc::kInvalidDeviceWindow,
                   describe(w) + " is empty, wraps or ends above " + hex(limit));
  }
  std::sort(windows.begin(), windows.end(), [](const Window& a, const Window& b) { return a.base < b.base; });
  for (size_t i = 1; i < windows.size(); ++i) {
    if (windows[i - 1].base + windows[i - 1].size > windows[i].base)
      return Error(AcpiErrc::kInvalidDeviceWindow,
                   describe(windows[i - 1]) + " overlaps " + describe(windows[i]));
  }
  return ok();
}

Result<void> check_mmio(const AcpiConfig& config) {
  std::vector<Window> mmio{{"IOAPIC", kIoapicAddress, 0x1000},
                           {"LAPIC", kLapicAddress, 0x1000},
                           {"ACPI table window", config.window_start.value(), config.window_size}};
  for (size_t i = 0; i < config.virtio_mmio.size(); ++i)
    mmio.push_back(
        {"virtio-mmio device " + std::to_string(i), config.virtio_mmio[i].base, config.virtio_mmio[i].size});
  if (config.power_button) mmio.push_back({"GED register", config.power_button->ged_base, kGedRegisterSize});
  // Memory32Fixed descriptors hold 32-bit addresses (6.4.3.4).
  VMM_TRY(check_windows(std::move(mmio), uint64_t{1} << 32));
  std::vector<Window> io;
  for (size_t i = 0; i < config.serial_ports.size(); ++i)
    io.push_back({"serial port " + std::to_string(i) + " I/O ports", config.serial_ports[i].io_base, 8});
  return check_windows(std::move(io), 0x10000);
}

Result<void> check_irqs(const AcpiConfig& config) {
  std::vector<std::pair<std::string, uint32_t>> irqs;
  for (size_t i = 0; i < config.virtio_mmio.size(); ++i)
    irqs.emplace_back("virtio-mmio device " + std::to_string(i), config.virtio_mmio[i].irq);
  for (size_t i = 0; i < config.serial_ports.size(); ++i)
    irqs.emplace_back("serial port " + std::to_string(i), config.serial_ports[i].irq);
  if (config.power_button) irqs.emplace_back("power button (GED)", config.power_button->irq);
  uint32_t used = 0;
  for (const auto& [what, irq] : irqs) {
    // GSI 0 and 2 belong to the timer (PIT on GSI 0, or GSI 2 with the IRQ 0 override).
    if (irq >= kIoapicPins || irq == 0 || irq == 2)
      return Error(AcpiErrc::kInvalidIrq, what + ": IRQ " + std::to_string(irq) +
                                              " is not one of the IOAPIC's pins 1, 3-" +
                                              std::to_string(kIoapicPins - 1));
    if ((used >> irq) & 1)
      return Error(AcpiErrc::kInvalidIrq,
                   what + ": IRQ " + std::to_string(irq) + " is already used by another device");
    used |= 1U << irq;
  }
  return ok();
}

Result<void> check_register(const char* what, const GenericAddress& reg) {
  const bool width_ok =
      reg.bit_width == 8 || reg.bit_width == 16 || reg.bit_width == 32 || reg.bit_width == 64;
  const bool space_ok = reg.space == AddressSpace::kSystemMemory || reg.space == AddressSpace::kSystemIo;
  const bool io_ok = reg.space != AddressSpace::kSystemIo ||
                     (reg.address < 0x10000 && reg.address + reg.bit_width / 8 <= 0x10000);
  if (!width_ok || !space_ok || !io_ok || reg.address == 0 || reg.access_size > 4 ||
      reg.bit_offset >= reg.bit_width)
    return Error(AcpiErrc::kInvalidRegister,
                 std::string(what) + " at " + hex(reg.address) +
                     ": needs a non-zero address in I/O (below 0x10000) or memory space, "
                     "a width of 8/16/32/64 bits and an access size of 0-4");
  return ok();
}

}  // namespace

Result<void> validate_config(const AcpiConfig& config) {
  if (config.vcpus == 0) return Error(AcpiErrc::kNoVcpus, "ACPI tables: a machine needs at least one vCPU");
  if (config.vcpus > kMaxVcpus)
    return Error(AcpiErrc::kTooManyVcpus, "ACPI tables: " + std::to_string(config.vcpus) +
                                              " vCPUs, at most " + std::to_string(kMaxVcpus) + " supported");
  if (config.virtio_mmio.size() > kMaxVirtioMmioDevices || config.serial_ports.size() > kMaxSerialPorts)
    return Error(AcpiErrc::kTooManyDevices,
                 "ACPI tables: " + std::to_string(config.virtio_mmio.size()) + " virtio-mmio devices and " +
                     std::to_string(config.serial_ports.size()) + " serial ports, at most " +
                     std::to_string(kMaxVirtioMmioDevices) + " and " + std::to_string(kMaxSerialPorts));
  const auto window_end = checked_add(config.window_start.value(), config.window_size);
  if (config.window_start.value() % 16 != 0 || config.window_size == 0 || !window_end)
    return Error(AcpiErrc::kInvalidWindow, "ACPI table window at " + hex(config.window_start.value()) +
                                               " must be 16-byte aligned, non-empty and not wrap");
  VMM_TRY(validate_oem(config.oem));
  VMM_TRY(check_register("ACPI sleep control register", config.sleep_control));
  VMM_TRY(check_register("ACPI sleep status register", config.sleep_status));
  VMM_TRY(check_mmio(config));
  return check_irqs(config);
}

}  // namespace vmm::acpi::detail
