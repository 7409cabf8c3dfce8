// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include <vmm/base/result.hpp>
#include <vmm/bus/bus_device.hpp>
#include <vmm/bus/error.hpp>

namespace vmm {

// A half-open range [base, base + length) of a bus address space. length is
// never 0 and the range never wraps; a range may end at the very top of the
// 64-bit space (its last byte is 0xffff'ffff'ffff'ffff).
struct VMM_API BusRange {
  uint64_t base = 0;
  uint64_t length = 0;

  [[nodiscard]] uint64_t last() const { return base + (length - 1); }
  [[nodiscard]] bool overlaps(const BusRange& other) const {
    return base <= other.last() && other.base <= last();
  }
};

// One address space (the 64 KiB port space or the MMIO space): ranges mapped
// to devices, as vm-device's bus and Firecracker's vstate/bus.rs.
//
// Threading: build the bus (insert/remove) before the vCPU threads start;
// afterwards it is only read, and read()/write() are safe from any number of
// threads at once without a lock. Changing the bus while vCPUs run is not
// supported (nothing needs it yet; it would need an RCU-style swap).
//
// Lookups are a binary search over a vector sorted by base: no allocation and
// no lock on the exit path.
class VMM_API Bus {
 public:
  // Maps [base, base + length) to `device`. Rejects a zero length, a range
  // wrapping past 2^64 and a range overlapping one already present (the error
  // names both ranges). Adjacent ranges are fine. The same device may be
  // inserted at several ranges; each sees offsets relative to its own base.
  Result<void> insert(std::shared_ptr<BusDevice> device, uint64_t base, uint64_t length);

  // Unmaps the range starting exactly at `base`.
  Result<void> remove(uint64_t base);

  // Dispatches an access of data.size() bytes at `address` to the device
  // whose range holds all of it, at the offset from that range's base.
  // Returns false (and leaves `data` alone) when no single range holds the
  // whole access or data is empty; the caller decides what the guest sees
  // (all ones on a PC).
  bool read(uint64_t address, std::span<uint8_t> data) const;
  bool write(uint64_t address, std::span<const uint8_t> data) const;

  // The device and range holding [address, address + size), or nullptr.
  struct Match {
    BusDevice* device;
    uint64_t offset;
  };
  [[nodiscard]] Match find(uint64_t address, uint64_t size) const;

  [[nodiscard]] size_t size() const { return entries_.size(); }
  [[nodiscard]] std::vector<BusRange> ranges() const;

 private:
  struct Entry {
    BusRange range;
    std::shared_ptr<BusDevice> device;
  };
  std::vector<Entry> entries_;  // sorted by range.base, never overlapping
};

}  // namespace vmm
