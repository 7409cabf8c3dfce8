// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <span>

#include <vmm/acpi/tables.hpp>

namespace vmm::acpi::test {

// A machine like the vmm builds: COM1, two virtio-mmio devices, the GED
// power button, the pvpanic port and I/O-port sleep registers.
inline AcpiConfig typical_config(uint32_t vcpus = 2) {
  AcpiConfig config;
  config.vcpus = vcpus;
  config.serial_ports = {{0x3F8, 4}};
  config.virtio_mmio = {{0xD000'0000, 0x1000, 5}, {0xD000'1000, 0x1000, 6}};
  config.power_button = PowerButton{0xFED0'0000, 9};
  config.pvpanic_port = 0x505;
  config.sleep_control = {AddressSpace::kSystemIo, 8, 0, 1, 0x600};
  config.sleep_status = {AddressSpace::kSystemIo, 8, 0, 1, 0x601};
  return config;
}

inline uint32_t le32(std::span<const uint8_t> bytes, size_t offset) {
  uint32_t value = 0;
  for (size_t i = 0; i < 4; ++i) value |= uint32_t{bytes[offset + i]} << (8 * i);
  return value;
}

inline uint64_t le64(std::span<const uint8_t> bytes, size_t offset) {
  return le32(bytes, offset) | uint64_t{le32(bytes, offset + 4)} << 32;
}

inline uint8_t byte_sum(std::span<const uint8_t> bytes) {
  uint8_t sum = 0;
  for (uint8_t b : bytes) sum = static_cast<uint8_t>(sum + b);
  return sum;
}

}  // namespace vmm::acpi::test
