// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "machine_devices.hpp"

#include <vmm/memory/guest_memory.hpp>

#include "machine_acpi.hpp"

namespace vmm {
namespace {

constexpr uint16_t kCom1Base = 0x3f8;
constexpr uint16_t kCom1Length = 8;
constexpr uint32_t kCom1Irq = 4;
constexpr uint32_t kKeyboardIrq = 1;
constexpr uint16_t kPostCodePort = 0x80;

// RAM below and above 4 GiB, as the CMOS reports it to firmware and guests.
std::pair<uint64_t, uint64_t> ram_split(const GuestMemory& memory) {
  uint64_t below = 0, above = 0;
  for (const auto& region : memory.regions()) {
    (region.start().value() < kMmioHoleEnd ? below : above) += region.size();
  }
  return {below, above};
}

}  // namespace

Result<std::unique_ptr<MachineDevices>> MachineDevices::attach(Vm& vm, Bus& pio, const GuestMemory& memory,
                                                               ByteSink& console, MachineEvents& events) {
  VMM_TRY_ASSIGN(IrqFdLine com1_irq, IrqFdLine::create(vm, kCom1Irq));
  VMM_TRY_ASSIGN(IrqFdLine keyboard_irq, IrqFdLine::create(vm, kKeyboardIrq));
  std::unique_ptr<MachineDevices> devices(new MachineDevices(std::move(com1_irq), std::move(keyboard_irq), events));

  devices->serial_ = std::make_shared<SerialBusDevice>(devices->com1_irq_, console);
  VMM_TRY(pio.insert(devices->serial_, kCom1Base, kCom1Length));
  devices->i8042_ = std::make_shared<I8042BusDevice>(devices->keyboard_irq_, devices->reset_line_);
  VMM_TRY(pio.insert(devices->i8042_, I8042::kPortBase, I8042::kPortLength));
  auto rtc = std::make_shared<CmosRtcBusDevice>();
  const auto ram = ram_split(memory);
  rtc->with_model([&ram](CmosRtc& cmos) { cmos.set_memory_size(ram.first, ram.second); });
  VMM_TRY(pio.insert(rtc, CmosRtc::kPortBase, CmosRtc::kPortLength));
  VMM_TRY(pio.insert(std::make_shared<PostCodePort>(), kPostCodePort, 1));
  VMM_TRY(pio.insert(std::make_shared<PvPanicPort>(devices->panic_line_), PvPanicPort::kPort, PvPanicPort::kPortLength));
  return devices;
}

Result<void> MachineDevices::attach_acpi(Vm& vm, Bus& pio, Bus& mmio) {
  VMM_TRY_ASSIGN(IrqFdLine ged_irq, IrqFdLine::create(vm, kAcpiGedIrq));
  ged_irq_.emplace(std::move(ged_irq));
  ged_ = std::make_shared<AcpiGedBusDevice>(*ged_irq_);
  VMM_TRY(mmio.insert(ged_, kAcpiGedBase, AcpiGed::kRegisterSize));
  static_assert(kAcpiSleepStatusPort == kAcpiSleepControlPort + AcpiSleepControl::kStatusOffset);
  auto sleep = std::make_shared<AcpiSleepControlBusDevice>(power_off_line_, kAcpiS5SleepType);
  return pio.insert(sleep, kAcpiSleepControlPort, AcpiSleepControl::kPortLength);
}

Result<void> MachineDevices::press_power_button() {
  if (!ged_) return Error(std::make_error_code(std::errc::operation_not_supported), "the machine has no ACPI");
  ged_->with_model([](AcpiGed& ged) { ged.press_power_button(); });
  return ok();
}

Result<void> MachineDevices::request_ctrl_alt_del() {
  return i8042_->with_model([](I8042& i8042) { return i8042.trigger_ctrl_alt_del(); });
}

size_t MachineDevices::send_serial_input(std::span<const uint8_t> bytes) {
  return serial_->with_model([&](Serial16550& uart) { return uart.enqueue_input(bytes); });
}

}  // namespace vmm
