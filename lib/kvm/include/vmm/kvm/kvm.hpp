// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <linux/kvm.h>

#include <cstdint>
#include <vector>

#include <vmm/base/fd.hpp>
#include <vmm/kvm/error.hpp>

namespace vmm {

class Vm;

// The CPUID entries KVM supports / a vCPU is given (KVM_GET_SUPPORTED_CPUID,
// KVM_SET_CPUID2).
using CpuidEntries = std::vector<kvm_cpuid_entry2>;

// An open /dev/kvm. Creates VMs; VMs create vCPUs (kvm-ioctls' ownership).
class VMM_API Kvm {
 public:
  // Opens the device and checks the API version (12).
  static Result<Kvm> open(const char* path = "/dev/kvm");

  [[nodiscard]] int api_version() const;
  // KVM_CHECK_EXTENSION: 0 = absent, >0 = present (some caps return a value).
  [[nodiscard]] int check_extension(int capability) const;
  Result<size_t> vcpu_mmap_size() const;
  Result<CpuidEntries> supported_cpuid() const;
  // MSR indices KVM can save/restore (KVM_GET_MSR_INDEX_LIST).
  Result<std::vector<uint32_t>> msr_index_list() const;
  // Recommended and maximum vCPU counts.
  [[nodiscard]] unsigned recommended_vcpus() const;
  [[nodiscard]] unsigned max_vcpus() const;

  Result<Vm> create_vm() const;
  [[nodiscard]] int fd() const { return fd_.get(); }

 private:
  explicit Kvm(Fd fd) : fd_(std::move(fd)) {}
  Fd fd_;
};

}  // namespace vmm
