// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "exit_decode.hpp"

#include <string>

#include <vmm/kvm/error.hpp>

#include "ioctl.hpp"

namespace vmm::kvm_detail {
namespace {

// Cold: a kernel never reports these, but the page is shared memory and we
// never index it on trust.
[[gnu::cold, gnu::noinline]] Error invalid_exit(const char* what, uint64_t offset, uint64_t length,
                                                size_t run_size) {
  return Error(KvmErrc::kInvalidExit, std::string(what) + ": " + std::to_string(length) +
                                          " bytes at offset " + hex(offset) + " of a " +
                                          std::to_string(run_size) + "-byte kvm_run mapping");
}

// KVM_EXIT_IO: `count` accesses of `size` bytes, data at run + data_offset.
Result<VcpuExit> decode_io(kvm_run& run, size_t run_size) {
  const auto& io = run.io;
  uint64_t length = uint64_t{io.size} * io.count;  // u8 * u32: cannot overflow
  if (io.data_offset > run_size || length > run_size - io.data_offset)
    return invalid_exit("KVM_EXIT_IO data", io.data_offset, length, run_size);
  uint8_t* data = reinterpret_cast<uint8_t*>(&run) + io.data_offset;
  if (io.direction == KVM_EXIT_IO_OUT)
    return VcpuExit(exit::IoOut{io.port, io.size, io.count, std::span<const uint8_t>(data, length)});
  return VcpuExit(exit::IoIn{io.port, io.size, io.count, std::span<uint8_t>(data, length)});
}

// KVM_EXIT_MMIO: up to 8 bytes inline in run.mmio.data.
Result<VcpuExit> decode_mmio(kvm_run& run, size_t run_size) {
  auto& mmio = run.mmio;
  if (mmio.len > sizeof mmio.data) return invalid_exit("KVM_EXIT_MMIO data", 0, mmio.len, run_size);
  if (mmio.is_write != 0)
    return VcpuExit(exit::MmioWrite{mmio.phys_addr, std::span<const uint8_t>(mmio.data, mmio.len)});
  return VcpuExit(exit::MmioRead{mmio.phys_addr, std::span<uint8_t>(mmio.data, mmio.len)});
}

}  // namespace

Result<VcpuExit> decode_exit(kvm_run& run, size_t run_size) {
  switch (run.exit_reason) {
    case KVM_EXIT_IO:
      return decode_io(run, run_size);
    case KVM_EXIT_MMIO:
      return decode_mmio(run, run_size);
    case KVM_EXIT_HLT:
      return VcpuExit(exit::Hlt{});
    case KVM_EXIT_SHUTDOWN:
      return VcpuExit(exit::Shutdown{});
    case KVM_EXIT_SYSTEM_EVENT:
      return VcpuExit(exit::SystemEvent{run.system_event.type});
    case KVM_EXIT_INTR:
      return VcpuExit(exit::Interrupted{});
    case KVM_EXIT_INTERNAL_ERROR:
      return VcpuExit(exit::InternalError{run.internal.suberror});
    case KVM_EXIT_FAIL_ENTRY:
      return VcpuExit(exit::FailEntry{run.fail_entry.hardware_entry_failure_reason});
    case KVM_EXIT_DEBUG:
      return VcpuExit(exit::Debug{});
    default:
      return VcpuExit(exit::Unknown{run.exit_reason});
  }
}

}  // namespace vmm::kvm_detail
