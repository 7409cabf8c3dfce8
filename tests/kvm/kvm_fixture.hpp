// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Shared setup for the tests that need /dev/kvm: opening the device (or
// skipping when it does not exist) and a one-vCPU real-mode guest.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <span>

#include <vmm/kvm/kvm.hpp>
#include <vmm/kvm/vcpu.hpp>
#include <vmm/kvm/vm.hpp>
#include <vmm/memory/guest_memory.hpp>

namespace vmm::testing {

// Real-mode guests: 64 KiB of RAM at 0 in slot 0, code loaded at kCodeAddress,
// nothing mapped above kRamSize (so 0x20000 and up is MMIO).
inline constexpr uint64_t kRamSize = 0x10000;
inline constexpr uint64_t kCodeAddress = 0x1000;
// Unused pages below 4 GiB for VMX's real-mode TSS and identity map.
inline constexpr uint64_t kTssAddress = 0xfffb'd000;
inline constexpr uint64_t kIdentityMapAddress = 0xfffb'c000;

// Opens /dev/kvm in SetUp; skips (loudly) only when the device is absent.
class KvmTest : public ::testing::Test {
 protected:
  void SetUp() override;
  Kvm& kvm() { return *kvm_; }

 private:
  std::optional<Kvm> kvm_;
};

struct GuestOptions {
  bool irqchip = false;    // with an in-kernel LAPIC, HLT no longer exits to userspace
  bool log_dirty = false;  // KVM_MEM_LOG_DIRTY_PAGES on slot 0
};

struct RealModeGuest {
  Vm vm;
  GuestMemory memory;
  Vcpu vcpu;
};

// A VM with one vCPU in real mode at 0000:kCodeAddress running `code`.
Result<RealModeGuest> make_real_mode_guest(const Kvm& kvm, std::span<const uint8_t> code,
                                           GuestOptions options = {});
// Points the vCPU back at kCodeAddress (to run the same code again).
Result<void> restart_at_code(Vcpu& vcpu);

}  // namespace vmm::testing
