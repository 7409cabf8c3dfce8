// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// vCPU state ioctls: MSRs, CPUID and the register round trips.
#include <vmm/base/bytes.hpp>

#include "kvm_fixture.hpp"

namespace vmm::testing {
namespace {

constexpr uint32_t kSysenterCs = 0x174;
constexpr uint32_t kSysenterEsp = 0x175;
constexpr uint32_t kArchCapabilities = 0x10a;  // KVM rejects non-zero values here (TESTING.md)
constexpr size_t kLapicLint0 = 0x350;          // LVT LINT0 register offset (Intel SDM 10.5.1)

class VcpuState : public KvmTest {
 protected:
  void SetUp() override {
    KvmTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto vm = kvm().create_vm();
    ASSERT_TRUE(vm.ok()) << vm.error().message();
    ASSERT_TRUE(vm->create_irqchip().ok());  // LAPIC and MP state live in the kernel
    auto vcpu = vm->create_vcpu(0);
    ASSERT_TRUE(vcpu.ok()) << vcpu.error().message();
    vm_.emplace(std::move(*vm));
    vcpu_.emplace(std::move(*vcpu));
  }
  Vcpu& vcpu() { return *vcpu_; }

 private:
  std::optional<Vm> vm_;
  std::optional<Vcpu> vcpu_;
};

TEST_F(VcpuState, MsrsRoundTrip) {
  const MsrEntry entries[] = {{kSysenterCs, 0x10}, {kSysenterEsp, 0xffff'8000'1234'0000}};
  auto set = vcpu().set_msrs(entries);
  ASSERT_TRUE(set.ok()) << set.error().message();
  const uint32_t indices[] = {kSysenterCs, kSysenterEsp};
  auto values = vcpu().get_msrs(indices);
  ASSERT_TRUE(values.ok()) << values.error().message();
  ASSERT_EQ(values->size(), 2u);
  EXPECT_EQ((*values)[0].index, kSysenterCs);
  EXPECT_EQ((*values)[0].value, 0x10u);
  EXPECT_EQ((*values)[1].value, 0xffff'8000'1234'0000u);
}

TEST_F(VcpuState, SetMsrsNamesTheRejectedMsr) {
  constexpr uint64_t kRdclNo = 1;  // ARCH_CAPABILITIES bit 0
  const MsrEntry entries[] = {{kSysenterCs, 0x10}, {kArchCapabilities, kRdclNo}, {kSysenterEsp, 0}};
  auto set = vcpu().set_msrs(entries);
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.error().code(), KvmErrc::kMsrRejected);
  EXPECT_EQ(set.error().message(),
            "KVM_SET_MSRS: MSR 0x10a (entry 2 of 3): KVM does not accept this MSR or value");
}

TEST_F(VcpuState, GetMsrsNamesAnUnknownMsr) {
  const uint32_t indices[] = {kSysenterCs, 0xdead'beef};
  auto values = vcpu().get_msrs(indices);
  ASSERT_FALSE(values.ok());
  EXPECT_NE(values.error().message().find("MSR 0xdeadbeef"), std::string::npos) << values.error().message();
}

TEST_F(VcpuState, AcceptsTheSupportedCpuid) {
  auto cpuid = kvm().supported_cpuid();
  ASSERT_TRUE(cpuid.ok());
  auto set = vcpu().set_cpuid(*cpuid);
  EXPECT_TRUE(set.ok()) << set.error().message();
}

TEST_F(VcpuState, RegsRoundTrip) {
  auto regs = vcpu().get_regs();
  ASSERT_TRUE(regs.ok());
  regs->rax = 0x1234'5678'9abc'def0;
  regs->r15 = 42;
  regs->rip = 0x7c00;
  ASSERT_TRUE(vcpu().set_regs(*regs).ok());
  auto again = vcpu().get_regs();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->rax, 0x1234'5678'9abc'def0u);
  EXPECT_EQ(again->r15, 42u);
  EXPECT_EQ(again->rip, 0x7c00u);
}

TEST_F(VcpuState, SregsRoundTrip) {
  auto sregs = vcpu().get_sregs();
  ASSERT_TRUE(sregs.ok());
  sregs->cs.base = 0;
  sregs->cs.selector = 0;
  sregs->ds.base = 0x2'0000;
  sregs->ds.selector = 0x2000;
  ASSERT_TRUE(vcpu().set_sregs(*sregs).ok());
  auto again = vcpu().get_sregs();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->cs.base, 0u);
  EXPECT_EQ(again->ds.base, 0x2'0000u);
  EXPECT_EQ(again->ds.selector, 0x2000);
}

TEST_F(VcpuState, FpuRoundTrip) {
  auto fpu = vcpu().get_fpu();
  ASSERT_TRUE(fpu.ok());
  fpu->fcw = 0x27f;  // 53-bit precision instead of the reset 0x37f
  fpu->xmm[3][0] = 0xab;
  // (mxcsr is not compared: this machine's software KVM always reports 0.)
  ASSERT_TRUE(vcpu().set_fpu(*fpu).ok());
  auto again = vcpu().get_fpu();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->fcw, 0x27f);
  EXPECT_EQ(again->xmm[3][0], 0xab);
}

TEST_F(VcpuState, LapicRoundTrip) {
  auto lapic = vcpu().get_lapic();
  ASSERT_TRUE(lapic.ok()) << lapic.error().message();
  auto regs = std::span(reinterpret_cast<uint8_t*>(lapic->regs), sizeof lapic->regs);
  constexpr uint32_t kExtInt = 0x700;  // delivery mode ExtINT, unmasked
  ASSERT_TRUE(store_le<uint32_t>(regs, kLapicLint0, kExtInt));
  ASSERT_TRUE(vcpu().set_lapic(*lapic).ok());
  auto again = vcpu().get_lapic();
  ASSERT_TRUE(again.ok());
  auto again_regs = std::span(reinterpret_cast<const uint8_t*>(again->regs), sizeof again->regs);
  EXPECT_EQ(load_le<uint32_t>(again_regs, kLapicLint0), kExtInt);
}

TEST_F(VcpuState, MpStateRoundTrip) {
  auto state = vcpu().get_mp_state();
  ASSERT_TRUE(state.ok()) << state.error().message();
  EXPECT_EQ(state->mp_state, uint32_t{KVM_MP_STATE_RUNNABLE});  // vCPU 0 is the BSP
  ASSERT_TRUE(vcpu().set_mp_state(kvm_mp_state{KVM_MP_STATE_RUNNABLE}).ok());
  EXPECT_EQ(vcpu().get_mp_state()->mp_state, uint32_t{KVM_MP_STATE_RUNNABLE});
}

}  // namespace
}  // namespace vmm::testing
