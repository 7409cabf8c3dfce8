// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <memory>
#include <optional>
#include <span>

#include <vmm/bus/bus.hpp>
#include <vmm/devices/bus_adapters.hpp>
#include <vmm/devices/cmos_rtc.hpp>
#include <vmm/devices/i8042.hpp>
#include <vmm/devices/post_code_port.hpp>
#include <vmm/devices/pvpanic_port.hpp>
#include <vmm/devices/serial16550.hpp>
#include <vmm/devices/sink.hpp>
#include <vmm/memory/guest_memory.hpp>
#include <vmm/vmm/irqfd_line.hpp>
#include <vmm/vmm/machine_events.hpp>

namespace vmm {

// The legacy PC devices of a machine and the lines that connect them to
// KVM: COM1 (0x3f8, IRQ 4), the i8042 (0x60/0x64, IRQ 1, reset line), the
// CMOS RTC (0x70/0x71), the POST code port (0x80) and the pvpanic port (0x505); with ACPI also the
// GED power button and the sleep registers (machine_acpi.hpp).
class MachineDevices {
 public:
  static Result<std::unique_ptr<MachineDevices>> attach(Vm& vm, Bus& pio, const GuestMemory& memory,
                                                        ByteSink& console, MachineEvents& events);
  // The ACPI devices the tables of write_machine_acpi() describe.
  Result<void> attach_acpi(Vm& vm, Bus& pio, Bus& mmio);

  Result<void> request_ctrl_alt_del();
  // Fails if attach_acpi() was not called.
  Result<void> press_power_button();
  size_t send_serial_input(std::span<const uint8_t> bytes);

 private:
  // The i8042's reset output: reported to the machine's owner, which stops
  // the vCPUs and ends (or restarts) the machine.
  class GuestResetLine final : public ResetLine {
   public:
    explicit GuestResetLine(MachineEvents& events) : events_(events) {}
    void pulse() override { events_.post(VcpuStopped{0, VcpuStopped::Reason::kReset, "i8042 reset", false}); }

   private:
    MachineEvents& events_;
  };

  // The guest entering S5 through the ACPI sleep control register: reported
  // like the reset line, and the machine ends as powered off.
  class GuestPowerOffLine final : public PowerOffLine {
   public:
    explicit GuestPowerOffLine(MachineEvents& events) : events_(events) {}
    void power_off() override {
      events_.post(VcpuStopped{0, VcpuStopped::Reason::kPowerOff, "ACPI S5", false});
    }

   private:
    MachineEvents& events_;
  };

  // A guest kernel panic signalled through the pvpanic port: the machine
  // ends as failed, with a message saying so.
  class GuestPanicLine final : public PanicLine {
   public:
    explicit GuestPanicLine(MachineEvents& events) : events_(events) {}
    void panicked() override {
      events_.post(VcpuStopped{0, VcpuStopped::Reason::kFatal, "guest kernel panicked (pvpanic)", false});
    }

   private:
    MachineEvents& events_;
  };

  MachineDevices(IrqFdLine com1_irq, IrqFdLine keyboard_irq, MachineEvents& events)
      : com1_irq_(std::move(com1_irq)),
        keyboard_irq_(std::move(keyboard_irq)),
        reset_line_(events),
        power_off_line_(events),
        panic_line_(events) {}

  IrqFdLine com1_irq_;
  IrqFdLine keyboard_irq_;
  std::optional<IrqFdLine> ged_irq_;
  GuestResetLine reset_line_;
  GuestPowerOffLine power_off_line_;
  GuestPanicLine panic_line_;
  std::shared_ptr<SerialBusDevice> serial_;
  std::shared_ptr<I8042BusDevice> i8042_;
  std::shared_ptr<AcpiGedBusDevice> ged_;
};

}  // namespace vmm
