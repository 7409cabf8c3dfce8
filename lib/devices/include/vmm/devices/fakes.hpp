// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include <vmm/devices/interrupt.hpp>
#include <vmm/devices/sink.hpp>

// Test doubles for the device interfaces, shipped beside them so that every
// test (and fuzz target) of a device or of the VMM glue uses the same fakes.
namespace vmm::fakes {

class CountingInterruptLine final : public InterruptLine {
 public:
  void trigger() override { ++count; }
  int count = 0;
};

class CountingResetLine final : public ResetLine {
 public:
  void pulse() override { ++count; }
  int count = 0;
};

class CountingPowerOffLine final : public PowerOffLine {
 public:
  void power_off() override { ++count; }
  int count = 0;
};

class CollectingSink final : public ByteSink {
 public:
  void write(std::span<const uint8_t> data) override { bytes.insert(bytes.end(), data.begin(), data.end()); }
  std::vector<uint8_t> bytes;
};

}  // namespace vmm::fakes
