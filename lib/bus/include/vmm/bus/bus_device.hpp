// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <span>

#include <vmm/base/export.hpp>

namespace vmm {

// Something that answers guest port or MMIO accesses on a Bus. `offset` is
// relative to the base of the range the device was inserted at, and
// offset + data.size() never runs past the end of that range.
//
// vCPU threads call read/write concurrently and the event loop may touch the
// same device: implementations do their own locking. Both run on the hot
// path of a guest exit: no allocation, no logging, no blocking.
class VMM_API BusDevice {
 public:
  virtual ~BusDevice();
  // Fills all of `data` (the bytes the guest reads).
  virtual void read(uint64_t offset, std::span<uint8_t> data) = 0;
  virtual void write(uint64_t offset, std::span<const uint8_t> data) = 0;
};

}  // namespace vmm
