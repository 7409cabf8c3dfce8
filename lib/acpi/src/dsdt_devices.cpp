// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// The DSDT body: devices under \_SB (ACPI 6.5, 5.3.1) and \_S5_.
#include <cstdio>

#include "validate.hpp"

namespace vmm::acpi {
namespace {

using namespace aml;

// A numbered NameSeg: prefix + index, e.g. "COM1", "VR0A".
Result<NameSeg> numbered(const char* format, size_t index) {
  char text[8];
  std::snprintf(text, sizeof text, format, static_cast<unsigned>(index));
  auto seg = NameSeg::parse(text);
  if (!seg) return Error(AcpiErrc::kTooManyDevices, std::string("no AML name for device ") + text);
  return *seg;
}

// 16550 UART: _HID PNP0501, 8 I/O ports and its IRQ (edge, active high).
Result<Bytes> serial_device(const SerialPort& port, size_t index) {
  VMM_TRY_ASSIGN(NameSeg seg, numbered("COM%u", index + 1));
  VMM_TRY_ASSIGN(Bytes id, eisa_id("PNP0501"));
  VMM_TRY_ASSIGN(Bytes resources, crs({io_port(port.io_base, port.io_base, 1, 8), interrupt({}, port.irq)}));
  return device(seg, {hid(id), uid(index), resources});
}

// The CMOS RTC: _HID PNP0B00 at ports 0x70-0x71, no IRQ (the model raises
// none). A hardware-reduced machine has no legacy PIC, so Linux's rtc_cmos
// only binds through this device (without it: "probe failed with -22").
Result<Bytes> cmos_rtc_device() {
  VMM_TRY_ASSIGN(Bytes id, eisa_id("PNP0B00"));
  VMM_TRY_ASSIGN(Bytes resources, crs({io_port(0x70, 0x70, 1, 2)}));
  return device("RTC_", {hid(id), resources});
}

// pvpanic: Linux's pvpanic-mmio driver matches "QEMU0001" and takes the
// port from _CRS; on a panic it writes PVPANIC_PANICKED there.
Result<Bytes> pvpanic_device(uint16_t port) {
  VMM_TRY_ASSIGN(Bytes id, string("QEMU0001"));
  VMM_TRY_ASSIGN(Bytes resources, crs({io_port(port, port, 1, 1)}));
  return device("PEVT", {hid(id), resources});
}

// virtio-mmio transport: Linux's virtio_mmio driver matches "LNRO0005" and
// takes the register window and IRQ from _CRS.
Result<Bytes> virtio_device(const VirtioMmioDevice& dev, size_t index) {
  VMM_TRY_ASSIGN(NameSeg seg, numbered("VR%02X", index));
  VMM_TRY_ASSIGN(Bytes id, string("LNRO0005"));
  // Validated: base + size <= 4 GiB.
  VMM_TRY_ASSIGN(Bytes resources,
                 crs({memory32_fixed(true, static_cast<uint32_t>(dev.base), static_cast<uint32_t>(dev.size)),
                      interrupt({}, dev.irq)}));
  return device(seg, {hid(id), uid(index), resources});
}

// The control-method power button (4.8.2.2.1.2) and the Generic Event
// Device (5.6.9) whose _EVT presses it.
Result<std::vector<Bytes>> power_button_devices(const PowerButton& button) {
  VMM_TRY_ASSIGN(Bytes pwrb_id, eisa_id("PNP0C0C"));
  VMM_TRY_ASSIGN(Bytes pwrb, device("PWRB", {hid(pwrb_id), uid(0)}));
  VMM_TRY_ASSIGN(Bytes ged_id, string("ACPI0013"));
  VMM_TRY_ASSIGN(Bytes resources, crs({interrupt({}, button.irq)}));
  VMM_TRY_ASSIGN(Bytes fields, field("GDST", FieldAccess::kDWord, {{"GDAT", 32}}));
  VMM_TRY_ASSIGN(NameString pwrb_path, NameString::parse("\\_SB.PWRB"));
  // _EVT(Arg0 = GSI): If (GDAT & 1) { Notify (\_SB.PWRB, 0x80) }
  VMM_TRY_ASSIGN(Bytes press, if_then(bit_and(NameString("GDAT").encoded(), integer(kGedPowerButtonEvent)),
                                      {notify(pwrb_path, integer(0x80))}));
  VMM_TRY_ASSIGN(Bytes evt, method("_EVT", 1, true, {press}));
  VMM_TRY_ASSIGN(
      Bytes ged,
      device("GED_", {hid(ged_id), uid(0), resources,
                      operation_region("GDST", RegionSpace::kSystemMemory, button.ged_base, kGedRegisterSize),
                      fields, evt}));
  return std::vector<Bytes>{pwrb, ged};
}

}  // namespace

Result<Bytes> build_dsdt_aml(const AcpiConfig& config) {
  VMM_TRY(detail::validate_config(config));
  std::vector<Bytes> devices;
  for (size_t i = 0; i < config.serial_ports.size(); ++i) {
    VMM_TRY_ASSIGN(Bytes dev, serial_device(config.serial_ports[i], i));
    devices.push_back(std::move(dev));
  }
  if (config.cmos_rtc) {
    VMM_TRY_ASSIGN(Bytes rtc, cmos_rtc_device());
    devices.push_back(std::move(rtc));
  }
  if (config.pvpanic_port) {
    VMM_TRY_ASSIGN(Bytes pvpanic, pvpanic_device(*config.pvpanic_port));
    devices.push_back(std::move(pvpanic));
  }
  for (size_t i = 0; i < config.virtio_mmio.size(); ++i) {
    VMM_TRY_ASSIGN(Bytes dev, virtio_device(config.virtio_mmio[i], i));
    devices.push_back(std::move(dev));
  }
  if (config.power_button) {
    VMM_TRY_ASSIGN(std::vector<Bytes> button, power_button_devices(*config.power_button));
    devices.insert(devices.end(), button.begin(), button.end());
  }
  VMM_TRY_ASSIGN(NameString sb, NameString::parse("\\_SB"));
  VMM_TRY_ASSIGN(Bytes body, scope(sb, devices));
  VMM_TRY_ASSIGN(Bytes sleep, s5(config.s5_sleep_type));
  body.insert(body.end(), sleep.begin(), sleep.end());
  return body;
}

}  // namespace vmm::acpi
