// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <linux/kvm.h>

#include <atomic>
#include <cstdint>
#include <span>
#include <vector>

#include <vmm/base/fd.hpp>
#include <vmm/kvm/kvm.hpp>
#include <vmm/kvm/vcpu_exit.hpp>

namespace vmm {

struct MsrEntry {
  uint32_t index;
  uint64_t value;
};

// A vCPU: owns its fd and its kvm_run mapping (unmapped when dropped).
// run() must be called from the thread that owns the vCPU; kick() may be
// called from any thread to make a run() in progress (or the next one)
// return exit::Interrupted promptly.
class VMM_API Vcpu {
 public:
  Vcpu(Vcpu&& other) noexcept;
  Vcpu& operator=(Vcpu&& other) noexcept;
  Vcpu(const Vcpu&) = delete;
  Vcpu& operator=(const Vcpu&) = delete;
  ~Vcpu();

  [[nodiscard]] uint32_t id() const { return id_; }

  Result<kvm_regs> get_regs() const;
  Result<void> set_regs(const kvm_regs& regs);
  Result<kvm_sregs> get_sregs() const;
  Result<void> set_sregs(const kvm_sregs& sregs);
  Result<kvm_fpu> get_fpu() const;
  Result<void> set_fpu(const kvm_fpu& fpu);
  // KVM_GET_MSRS for the given indices; returns the values in order.
  Result<std::vector<MsrEntry>> get_msrs(std::span<const uint32_t> indices) const;
  // KVM_SET_MSRS; every entry must be accepted (partial success is an error naming the MSR).
  Result<void> set_msrs(std::span<const MsrEntry> entries);
  Result<kvm_lapic_state> get_lapic() const;
  Result<void> set_lapic(const kvm_lapic_state& lapic);
  Result<void> set_cpuid(std::span<const kvm_cpuid_entry2> entries);
  Result<kvm_mp_state> get_mp_state() const;
  Result<void> set_mp_state(const kvm_mp_state& state);

  // KVM_RUN. Returns a typed exit whose spans point into the kvm_run page.
  Result<VcpuExit> run();

  // immediate_exit: when set, the next KVM_RUN returns at once with EINTR.
  // kick() sets it; the vCPU thread clears it after seeing Interrupted.
  // To interrupt a KVM_RUN already in progress also signal the thread
  // (see vmm's vCPU thread), which makes the ioctl return EINTR.
  void set_immediate_exit(bool value);
  // set_immediate_exit(true), safe from any thread and from a signal handler
  // (an atomic store into the kvm_run page; the Vcpu must not be moved meanwhile).
  void kick();

  [[nodiscard]] int fd() const { return fd_.get(); }

 private:
  friend class Vm;
  Vcpu(Fd fd, uint32_t id, kvm_run* run, size_t run_size) : fd_(std::move(fd)), id_(id), run_(run), run_size_(run_size) {}
  Fd fd_;
  uint32_t id_;
  kvm_run* run_;
  size_t run_size_;
};

}  // namespace vmm
