// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <span>

#include <vmm/base/export.hpp>

namespace vmm {

// Where a device's output bytes go (the console ring buffer, a pipe, a test
// vector). Called on the vCPU thread with the device lock held, one guest
// write at a time: it must not block and should not allocate per call.
class VMM_API ByteSink {
 public:
  virtual ~ByteSink();
  virtual void write(std::span<const uint8_t> bytes) = 0;
};

}  // namespace vmm
