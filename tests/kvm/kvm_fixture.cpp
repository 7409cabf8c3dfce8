// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "kvm_fixture.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace vmm::testing {

void KvmTest::SetUp() {
  if (::access("/dev/kvm", F_OK) != 0 && errno == ENOENT) {
    std::fprintf(stderr, "\n*** SKIPPED: /dev/kvm absent: the KVM tests did not run on this machine ***\n\n");
    GTEST_SKIP() << "/dev/kvm absent: this test needs KVM";
  }
  auto kvm = Kvm::open();
  ASSERT_TRUE(kvm.ok()) << kvm.error().message();
  kvm_.emplace(std::move(*kvm));
}

namespace {

Result<void> enter_real_mode(Vcpu& vcpu) {
  VMM_TRY_ASSIGN(kvm_sregs sregs, vcpu.get_sregs());
  // The reset state runs at f000:fff0 with CS base 0xffff0000; use 0000:xxxx.
  sregs.cs.base = 0;
  sregs.cs.selector = 0;
  VMM_TRY(vcpu.set_sregs(sregs));
  return restart_at_code(vcpu);
}

}  // namespace

Result<void> restart_at_code(Vcpu& vcpu) {
  kvm_regs regs{};
  regs.rip = kCodeAddress;
  regs.rflags = 0x2;  // bit 1 is reserved and must be set; IF clear
  return vcpu.set_regs(regs);
}

Result<RealModeGuest> make_real_mode_guest(const Kvm& kvm, std::span<const uint8_t> code,
                                           GuestOptions options) {
  VMM_TRY_ASSIGN(Vm vm, kvm.create_vm());
  VMM_TRY(vm.set_tss_address(kTssAddress));
  VMM_TRY(vm.set_identity_map_address(kIdentityMapAddress));
  if (options.irqchip) VMM_TRY(vm.create_irqchip());
  const RegionSpec ram{GuestAddress(0), kRamSize};
  VMM_TRY_ASSIGN(GuestMemory memory, GuestMemory::create(std::span(&ram, 1)));
  VMM_TRY(memory.write(GuestAddress(kCodeAddress), code));
  const GuestRegion& region = memory.regions()[0];
  VMM_TRY(vm.set_user_memory_region(0, region.start().value(), region.size(), region.host_address(),
                                    options.log_dirty));
  VMM_TRY_ASSIGN(Vcpu vcpu, vm.create_vcpu(0));
  VMM_TRY(enter_real_mode(vcpu));
  return RealModeGuest{std::move(vm), std::move(memory), std::move(vcpu)};
}

}  // namespace vmm::testing
