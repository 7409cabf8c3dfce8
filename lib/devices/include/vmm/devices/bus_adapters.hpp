// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <mutex>
#include <span>
#include <utility>

#include <vmm/bus/bus_device.hpp>
#include <vmm/devices/acpi_ged.hpp>
#include <vmm/devices/acpi_sleep_control.hpp>
#include <vmm/devices/cmos_rtc.hpp>
#include <vmm/devices/i8042.hpp>
#include <vmm/devices/serial16550.hpp>

namespace vmm {

// Puts a byte-register device model (uint8_t read(uint8_t offset),
// void write(uint8_t offset, uint8_t value)) on a Bus: owns the model and a
// mutex, since several vCPU threads and the event loop reach it at once.
//
// An access wider than a byte is split into byte accesses at consecutive
// offsets, as the ISA bus does for an 8-bit device (inw 0x3f8 reads RBR,
// then IER). Offsets past 0xff read 0xff (no model here has that many).
//
// The host side uses with_model() to act under the same lock:
//   serial->with_model([&](Serial16550& uart) { return uart.enqueue_input(bytes); });
template <class Model>
class LockedPortDevice final : public BusDevice {
 public:
  template <class... Args>
  explicit LockedPortDevice(Args&&... args) : model_(std::forward<Args>(args)...) {}

  void read(uint64_t offset, std::span<uint8_t> data) override {
    std::lock_guard lock(mutex_);
    for (size_t i = 0; i < data.size(); ++i)
      data[i] = in_range(offset, i) ? model_.read(register_at(offset, i)) : 0xff;
  }
  void write(uint64_t offset, std::span<const uint8_t> data) override {
    std::lock_guard lock(mutex_);
    for (size_t i = 0; i < data.size(); ++i)
      if (in_range(offset, i)) model_.write(register_at(offset, i), data[i]);
  }

  template <class F>
  decltype(auto) with_model(F&& f) {
    std::lock_guard lock(mutex_);
    return std::forward<F>(f)(model_);
  }

 private:
  static bool in_range(uint64_t offset, size_t i) { return offset <= 0xff && i <= 0xff - offset; }
  static uint8_t register_at(uint64_t offset, size_t i) { return static_cast<uint8_t>(offset + i); }

  std::mutex mutex_;
  Model model_;
};

// COM1 at 0x3f8 (length 8), IRQ 4.
using SerialBusDevice = LockedPortDevice<Serial16550>;
// I8042::kPortBase, I8042::kPortLength (0x60-0x64), IRQ 1.
using I8042BusDevice = LockedPortDevice<I8042>;
// CmosRtc::kPortBase, CmosRtc::kPortLength (0x70-0x71).
using CmosRtcBusDevice = LockedPortDevice<CmosRtc>;
// The ACPI sleep control (offset 0) and status (offset 1) ports.
using AcpiSleepControlBusDevice = LockedPortDevice<AcpiSleepControl>;

// Puts the AcpiGed's one 32-bit register on the MMIO bus, with a mutex like
// LockedPortDevice. The DSDT declares the field with DWordAcc, so the guest
// reads all four bytes at once; any read of the register acknowledges every
// pending event (a narrower read returns its slice of the value). Bytes past
// the register read 0; writes are ignored (the register is read-only).
class AcpiGedBusDevice final : public BusDevice {
 public:
  explicit AcpiGedBusDevice(InterruptLine& interrupt) : model_(interrupt) {}

  void read(uint64_t offset, std::span<uint8_t> data) override {
    std::lock_guard lock(mutex_);
    uint32_t events = model_.read_events();
    for (size_t i = 0; i < data.size(); ++i) {
      uint64_t byte = offset + i;
      data[i] = byte < AcpiGed::kRegisterSize ? static_cast<uint8_t>(events >> (8 * byte)) : 0;
    }
  }
  void write(uint64_t /*offset*/, std::span<const uint8_t> /*data*/) override {}

  template <class F>
  decltype(auto) with_model(F&& f) {
    std::lock_guard lock(mutex_);
    return std::forward<F>(f)(model_);
  }

 private:
  std::mutex mutex_;
  AcpiGed model_;
};

}  // namespace vmm
