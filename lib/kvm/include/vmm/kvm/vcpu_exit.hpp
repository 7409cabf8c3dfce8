// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <span>
#include <variant>

namespace vmm {

// The closed set of reasons Vcpu::run() returns. Data spans point into the
// vCPU's kvm_run page and are valid until the next run(); a handler fills
// the `data` of a read in place (KVM hands it to the guest on the next run).
namespace exit {

struct IoIn {
  uint16_t port;
  uint8_t size;                // 1, 2 or 4 bytes per access
  uint32_t count;              // > 1 for rep ins
  std::span<uint8_t> data;     // size * count bytes to fill
};
struct IoOut {
  uint16_t port;
  uint8_t size;
  uint32_t count;
  std::span<const uint8_t> data;
};
struct MmioRead {
  uint64_t address;
  std::span<uint8_t> data;     // 1..8 bytes to fill
};
struct MmioWrite {
  uint64_t address;
  std::span<const uint8_t> data;
};
struct Hlt {};
// Triple fault or an explicit shutdown: the machine resets.
struct Shutdown {};
// KVM_EXIT_SYSTEM_EVENT (PSCI-style; on x86 from KVM's own reset/shutdown paths).
struct SystemEvent {
  uint32_t type;               // KVM_SYSTEM_EVENT_*
};
// run() returned EINTR or immediate_exit was set: someone kicked this vCPU.
struct Interrupted {};
struct InternalError {
  uint32_t suberror;           // KVM_INTERNAL_ERROR_*
};
struct FailEntry {
  uint64_t reason;             // hardware_entry_failure_reason
};
struct Debug {};
// Any other exit reason KVM reports; the VMM treats it as fatal.
struct Unknown {
  uint32_t reason;             // KVM_EXIT_*
};

}  // namespace exit

using VcpuExit = std::variant<exit::IoIn, exit::IoOut, exit::MmioRead, exit::MmioWrite, exit::Hlt,
                              exit::Shutdown, exit::SystemEvent, exit::Interrupted, exit::InternalError,
                              exit::FailEntry, exit::Debug, exit::Unknown>;

}  // namespace vmm
