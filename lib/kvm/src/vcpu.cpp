// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// vCPU state ioctls: registers, FPU, MSRs, LAPIC, CPUID, MP state
// (Documentation/virt/kvm/api.rst, section 4) and the kvm_run mapping's lifetime.
#include <sys/mman.h>

#include <algorithm>
#include <string>
#include <utility>

#include <vmm/kvm/vcpu.hpp>

#include "flex_buffer.hpp"
#include "ioctl.hpp"
#include "kvm_abi.hpp"

namespace vmm {

using kvm_detail::FlexBuffer;
using kvm_detail::ioctl_result;
using kvm_detail::ioctl_retry;

namespace {

template <typename State>
Result<State> get_state(int fd, unsigned long request, const char* name) {
  State state{};
  VMM_TRY(ioctl_result(ioctl_retry(fd, request, &state), name));
  return state;
}

template <typename State>
Result<void> set_state(int fd, unsigned long request, const char* name, const State& state) {
  return ioctl_result(ioctl_retry(fd, request, &state), name);
}

using MsrBuffer = FlexBuffer<kvm_detail::MsrsHeader, kvm_msr_entry>;

// KVM_GET_MSRS/KVM_SET_MSRS return how many entries they processed and stop
// at the first MSR they do not handle; anything short of all is an error.
Result<void> check_all_msrs(int processed, std::span<const kvm_msr_entry> entries, const char* name) {
  VMM_TRY(ioctl_result(processed, name));
  if (static_cast<size_t>(processed) >= entries.size()) return ok();
  auto rejected = static_cast<size_t>(processed);
  return Error(KvmErrc::kMsrRejected, std::string(name) + ": MSR " + hex(entries[rejected].index) +
                                          " (entry " + std::to_string(rejected + 1) + " of " +
                                          std::to_string(entries.size()) + ")");
}

}  // namespace

Vcpu::Vcpu(Vcpu&& other) noexcept
    : fd_(std::move(other.fd_)),
      id_(other.id_),
      run_(std::exchange(other.run_, nullptr)),
      run_size_(std::exchange(other.run_size_, 0)) {}

Vcpu& Vcpu::operator=(Vcpu&& other) noexcept {
  if (this != &other) {
    if (run_ != nullptr) ::munmap(run_, run_size_);
    fd_ = std::move(other.fd_);
    id_ = other.id_;
    run_ = std::exchange(other.run_, nullptr);
    run_size_ = std::exchange(other.run_size_, 0);
  }
  return *this;
}

Vcpu::~Vcpu() {
  if (run_ != nullptr) ::munmap(run_, run_size_);
}

Result<kvm_regs> Vcpu::get_regs() const {
  return get_state<kvm_regs>(fd_.get(), KVM_GET_REGS, "KVM_GET_REGS");
}
Result<void> Vcpu::set_regs(const kvm_regs& regs) {
  return set_state(fd_.get(), KVM_SET_REGS, "KVM_SET_REGS", regs);
}
Result<kvm_sregs> Vcpu::get_sregs() const {
  return get_state<kvm_sregs>(fd_.get(), KVM_GET_SREGS, "KVM_GET_SREGS");
}
Result<void> Vcpu::set_sregs(const kvm_sregs& sregs) {
  return set_state(fd_.get(), KVM_SET_SREGS, "KVM_SET_SREGS", sregs);
}
Result<kvm_fpu> Vcpu::get_fpu() const { return get_state<kvm_fpu>(fd_.get(), KVM_GET_FPU, "KVM_GET_FPU"); }
Result<void> Vcpu::set_fpu(const kvm_fpu& fpu) {
  return set_state(fd_.get(), KVM_SET_FPU, "KVM_SET_FPU", fpu);
}
Result<kvm_lapic_state> Vcpu::get_lapic() const {
  return get_state<kvm_lapic_state>(fd_.get(), KVM_GET_LAPIC, "KVM_GET_LAPIC");
}
Result<void> Vcpu::set_lapic(const kvm_lapic_state& lapic) {
  return set_state(fd_.get(), KVM_SET_LAPIC, "KVM_SET_LAPIC", lapic);
}
Result<kvm_mp_state> Vcpu::get_mp_state() const {
  return get_state<kvm_mp_state>(fd_.get(), KVM_GET_MP_STATE, "KVM_GET_MP_STATE");
}
Result<void> Vcpu::set_mp_state(const kvm_mp_state& state) {
  return set_state(fd_.get(), KVM_SET_MP_STATE, "KVM_SET_MP_STATE", state);
}

Result<std::vector<MsrEntry>> Vcpu::get_msrs(std::span<const uint32_t> indices) const {
  MsrBuffer buffer(indices.size());
  buffer.header()->nmsrs = static_cast<uint32_t>(indices.size());
  for (size_t i = 0; i < indices.size(); ++i) buffer.entries()[i].index = indices[i];
  VMM_TRY(check_all_msrs(ioctl_retry(fd_.get(), kvm_detail::kGetMsrs, buffer.header()), buffer.entries(),
                         "KVM_GET_MSRS"));
  std::vector<MsrEntry> values;
  values.reserve(indices.size());
  for (const kvm_msr_entry& entry : buffer.entries()) values.push_back(MsrEntry{entry.index, entry.data});
  return values;
}

Result<void> Vcpu::set_msrs(std::span<const MsrEntry> entries) {
  MsrBuffer buffer(entries.size());
  buffer.header()->nmsrs = static_cast<uint32_t>(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    buffer.entries()[i].index = entries[i].index;
    buffer.entries()[i].data = entries[i].value;
  }
  return check_all_msrs(ioctl_retry(fd_.get(), kvm_detail::kSetMsrs, buffer.header()), buffer.entries(),
                        "KVM_SET_MSRS");
}

Result<void> Vcpu::set_cpuid(std::span<const kvm_cpuid_entry2> entries) {
  FlexBuffer<kvm_detail::CpuidHeader, kvm_cpuid_entry2> buffer(entries.size());
  buffer.header()->nent = static_cast<uint32_t>(entries.size());
  std::copy(entries.begin(), entries.end(), buffer.entries().begin());
  // api.rst, KVM_SET_CPUID2: E2BIG when there are more entries than KVM keeps.
  return ioctl_result(ioctl_retry(fd_.get(), kvm_detail::kSetCpuid2, buffer.header()),
                      [&] { return "KVM_SET_CPUID2 with " + std::to_string(entries.size()) + " entries"; });
}

}  // namespace vmm
