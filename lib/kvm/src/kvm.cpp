// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// /dev/kvm: API version, capabilities, CPUID and MSR lists, VM creation
// (Documentation/virt/kvm/api.rst, section 4 "API description", system ioctls).
#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <string>

#include <vmm/kvm/kvm.hpp>
#include <vmm/kvm/vm.hpp>

#include "flex_buffer.hpp"
#include "ioctl.hpp"
#include "kvm_abi.hpp"

namespace vmm {

using kvm_detail::FlexBuffer;
using kvm_detail::ioctl_result;
using kvm_detail::ioctl_retry;

namespace {

// api.rst, KVM_GET_API_VERSION: "Applications should refuse to run if KVM_GET_API_VERSION
// returns a value other than 12."
constexpr int kKvmApiVersion = 12;
// KVM_GET_SUPPORTED_CPUID reports E2BIG without saying how many entries it
// needs, so the buffer grows from a typical size up to a sanity cap.
constexpr size_t kInitialCpuidEntries = 80;
constexpr size_t kMaxCpuidEntries = 4096;

}  // namespace

Result<Kvm> Kvm::open(const char* path) {
  VMM_TRY_ASSIGN(Fd fd, Fd::open(path, O_RDWR));
  Kvm kvm(std::move(fd));
  int version = kvm.api_version();
  if (version != kKvmApiVersion)
    return Error(KvmErrc::kApiVersion, std::string(path) + ": KVM_GET_API_VERSION returned " +
                                           std::to_string(version) + ", need 12");
  return kvm;
}

int Kvm::api_version() const { return ioctl_retry(fd_.get(), KVM_GET_API_VERSION, 0); }

int Kvm::check_extension(int capability) const {
  int ret = ioctl_retry(fd_.get(), KVM_CHECK_EXTENSION, capability);
  return ret < 0 ? 0 : ret;
}

Result<size_t> Kvm::vcpu_mmap_size() const {
  int size = ioctl_retry(fd_.get(), KVM_GET_VCPU_MMAP_SIZE, 0);
  VMM_TRY(ioctl_result(size, "KVM_GET_VCPU_MMAP_SIZE"));
  if (static_cast<size_t>(size) < sizeof(kvm_run))
    return Error(std::make_error_code(std::errc::invalid_argument),
                 "KVM_GET_VCPU_MMAP_SIZE returned " + std::to_string(size) + ", smaller than struct kvm_run");
  return static_cast<size_t>(size);
}

Result<CpuidEntries> Kvm::supported_cpuid() const {
  for (size_t capacity = kInitialCpuidEntries; capacity <= kMaxCpuidEntries; capacity *= 2) {
    FlexBuffer<kvm_detail::CpuidHeader, kvm_cpuid_entry2> buffer(capacity);
    buffer.header()->nent = static_cast<uint32_t>(capacity);
    // api.rst, KVM_GET_SUPPORTED_CPUID: E2BIG if nent is too small; otherwise nent is set to the count.
    int ret = ioctl_retry(fd_.get(), kvm_detail::kGetSupportedCpuid, buffer.header());
    if (ret < 0 && errno == E2BIG) continue;
    VMM_TRY(ioctl_result(ret, "KVM_GET_SUPPORTED_CPUID"));
    auto entries = buffer.entries().first(std::min<size_t>(buffer.header()->nent, capacity));
    return CpuidEntries(entries.begin(), entries.end());
  }
  return Error(KvmErrc::kTooManyEntries,
               "KVM_GET_SUPPORTED_CPUID: more than " + std::to_string(kMaxCpuidEntries) + " entries");
}

Result<std::vector<uint32_t>> Kvm::msr_index_list() const {
  uint32_t capacity = 256;
  for (int attempt = 0; attempt < 4; ++attempt) {
    FlexBuffer<kvm_detail::MsrListHeader, uint32_t> buffer(capacity);
    buffer.header()->nmsrs = capacity;
    // api.rst, KVM_GET_MSR_INDEX_LIST: on E2BIG, nmsrs is set to the number of MSRs KVM has.
    int ret = ioctl_retry(fd_.get(), kvm_detail::kGetMsrIndexList, buffer.header());
    if (ret < 0 && errno == E2BIG) {
      capacity = std::max(buffer.header()->nmsrs, capacity * 2);
      continue;
    }
    VMM_TRY(ioctl_result(ret, "KVM_GET_MSR_INDEX_LIST"));
    auto indices = buffer.entries().first(std::min(buffer.header()->nmsrs, capacity));
    return std::vector<uint32_t>(indices.begin(), indices.end());
  }
  return Error(KvmErrc::kTooManyEntries, "KVM_GET_MSR_INDEX_LIST: the list kept growing");
}

unsigned Kvm::recommended_vcpus() const {
  // api.rst, KVM_CAP_NR_VCPUS: "if absent, assume 4".
  int count = check_extension(KVM_CAP_NR_VCPUS);
  return count > 0 ? static_cast<unsigned>(count) : 4;
}

unsigned Kvm::max_vcpus() const {
  // KVM_CAP_MAX_VCPUS: "if absent, the maximum is KVM_CAP_NR_VCPUS".
  int count = check_extension(KVM_CAP_MAX_VCPUS);
  return count > 0 ? static_cast<unsigned>(count) : recommended_vcpus();
}

Result<Vm> Kvm::create_vm() const {
  VMM_TRY_ASSIGN(size_t run_size, vcpu_mmap_size());
  int fd = ioctl_retry(fd_.get(), KVM_CREATE_VM, 0);  // machine type 0: the default on x86
  VMM_TRY(ioctl_result(fd, "KVM_CREATE_VM"));
  return Vm(Fd(fd), run_size);
}

}  // namespace vmm
