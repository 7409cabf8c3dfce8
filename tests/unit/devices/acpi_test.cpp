// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <vmm/devices/pvpanic_port.hpp>

#include <array>
#include <memory>

#include <vmm/bus/bus.hpp>
#include <vmm/devices/acpi_ged.hpp>
#include <vmm/devices/acpi_sleep_control.hpp>
#include <vmm/devices/bus_adapters.hpp>
#include <vmm/devices/fakes.hpp>

namespace vmm {
namespace {

// ACPI 6.5, 4.8.3.7: SLP_TYP in bits 2-4, SLP_EN is bit 5.
constexpr uint8_t sleep_value(uint8_t type, bool enable) {
  return static_cast<uint8_t>(type << 2 | (enable ? 0x20 : 0));
}

TEST(AcpiGed, PowerButtonSetsBitZeroAndRaisesTheInterrupt) {
  fakes::CountingInterruptLine irq;
  AcpiGed ged(irq);
  EXPECT_EQ(ged.read_events(), 0u);
  EXPECT_EQ(irq.count, 0);
  ged.press_power_button();
  EXPECT_EQ(irq.count, 1);
  EXPECT_EQ(ged.pending_events(), AcpiGed::kPowerButtonEvent);
}

TEST(AcpiGed, ReadingAcknowledgesTheEvents) {
  fakes::CountingInterruptLine irq;
  AcpiGed ged(irq);
  ged.press_power_button();
  ged.press_power_button();
  EXPECT_EQ(irq.count, 2);
  EXPECT_EQ(ged.read_events(), AcpiGed::kPowerButtonEvent);
  EXPECT_EQ(ged.read_events(), 0u);
}

TEST(AcpiGedBusDevice, DwordReadReturnsAndClearsTheRegister) {
  fakes::CountingInterruptLine irq;
  Bus mmio;
  auto ged = std::make_shared<AcpiGedBusDevice>(irq);
  ASSERT_TRUE(mmio.insert(ged, 0xFED0'0000, AcpiGed::kRegisterSize).ok());
  ged->with_model([](AcpiGed& model) { model.press_power_button(); });
  EXPECT_EQ(irq.count, 1);
  std::array<uint8_t, 4> value{0xee, 0xee, 0xee, 0xee};
  EXPECT_TRUE(mmio.read(0xFED0'0000, value));
  EXPECT_EQ(value, (std::array<uint8_t, 4>{1, 0, 0, 0}));
  EXPECT_TRUE(mmio.read(0xFED0'0000, value));
  EXPECT_EQ(value, (std::array<uint8_t, 4>{0, 0, 0, 0}));
}

TEST(AcpiGedBusDevice, WritesAreIgnored) {
  fakes::CountingInterruptLine irq;
  AcpiGedBusDevice ged(irq);
  ged.write(0, std::array<uint8_t, 4>{0xff, 0xff, 0xff, 0xff});
  std::array<uint8_t, 4> value{};
  ged.read(0, value);
  EXPECT_EQ(value, (std::array<uint8_t, 4>{0, 0, 0, 0}));
  EXPECT_EQ(irq.count, 0);
}

TEST(AcpiSleepControl, S5WithSleepEnablePowersOff) {
  fakes::CountingPowerOffLine power;
  AcpiSleepControl sleep(power, 5);
  sleep.write(AcpiSleepControl::kControlOffset, sleep_value(5, true));
  EXPECT_EQ(power.count, 1);
}

TEST(AcpiSleepControl, IgnoresOtherTypesMissingEnableAndTheStatusPort) {
  fakes::CountingPowerOffLine power;
  AcpiSleepControl sleep(power, 5);
  sleep.write(AcpiSleepControl::kControlOffset, sleep_value(5, false));
  sleep.write(AcpiSleepControl::kControlOffset, sleep_value(3, true));
  sleep.write(AcpiSleepControl::kStatusOffset, sleep_value(5, true));
  EXPECT_EQ(power.count, 0);
}

TEST(AcpiSleepControl, HonoursTheConfiguredS5Type) {
  fakes::CountingPowerOffLine power;
  AcpiSleepControl sleep(power, 7);
  sleep.write(AcpiSleepControl::kControlOffset, sleep_value(5, true));
  EXPECT_EQ(power.count, 0);
  sleep.write(AcpiSleepControl::kControlOffset, sleep_value(7, true) | 0x80);
  EXPECT_EQ(power.count, 1);
}

TEST(AcpiSleepControlBusDevice, StatusReadsZero) {
  fakes::CountingPowerOffLine power;
  Bus pio;
  auto sleep = std::make_shared<AcpiSleepControlBusDevice>(power, uint8_t{5});
  ASSERT_TRUE(pio.insert(sleep, 0x600, AcpiSleepControl::kPortLength).ok());
  std::array<uint8_t, 1> status{0xee};
  EXPECT_TRUE(pio.read(0x601, status));
  EXPECT_EQ(status[0], 0);
  EXPECT_TRUE(pio.write(0x600, std::array<uint8_t, 1>{sleep_value(5, true)}));
  EXPECT_EQ(power.count, 1);
}

}  // namespace
}  // namespace vmm

namespace vmm {
namespace {

class CountingPanicLine final : public PanicLine {
 public:
  void panicked() override { ++count; }
  int count = 0;
};

TEST(PvPanicPort, ReportsItsEventsAndPullsTheLineOnPanicked) {
  CountingPanicLine line;
  PvPanicPort port(line);
  std::array<uint8_t, 1> byte{};
  port.read(0, byte);
  EXPECT_EQ(byte[0], PvPanicPort::kPanicked | PvPanicPort::kCrashLoaded);
  port.write(0, std::array<uint8_t, 1>{PvPanicPort::kCrashLoaded});
  EXPECT_EQ(line.count, 0);
  port.write(0, std::array<uint8_t, 1>{PvPanicPort::kPanicked});
  EXPECT_EQ(line.count, 1);
  port.write(0, std::span<const uint8_t>{});
  EXPECT_EQ(line.count, 1);
}

}  // namespace
}  // namespace vmm
