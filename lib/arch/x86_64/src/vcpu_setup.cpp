// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Everything here talks to KVM; the state itself comes from the pure
// builders in registers.cpp, msrs.cpp, lapic.cpp and cpuid.cpp.
#include <vmm/arch/vcpu_setup.hpp>

#include <vmm/arch/cpuid.hpp>
#include <vmm/arch/lapic.hpp>
#include <vmm/arch/msrs.hpp>
#include <vmm/arch/registers.hpp>

namespace vmm::x86_64 {
namespace {

Result<void> in_context(Result<void> result, const char* what) {
  if (!result) return result.error().with_context(what);
  return ok();
}

}  // namespace

Result<void> configure_long_mode(Vcpu& vcpu, GuestAddress entry, GuestAddress boot_params) {
  VMM_TRY_ASSIGN(kvm_sregs current, vcpu.get_sregs());
  VMM_TRY(in_context(vcpu.set_sregs(long_mode_sregs(current)), "entering long mode"));
  VMM_TRY(in_context(vcpu.set_fpu(boot_fpu()), "setting the boot FPU state"));
  return in_context(vcpu.set_regs(long_mode_regs(entry, boot_params)), "setting the boot registers");
}

Result<void> configure_pvh(Vcpu& vcpu, GuestAddress entry32, GuestAddress start_info) {
  VMM_TRY_ASSIGN(kvm_sregs current, vcpu.get_sregs());
  VMM_TRY(in_context(vcpu.set_sregs(pvh_sregs(current)), "entering 32-bit protected mode"));
  VMM_TRY(in_context(vcpu.set_fpu(boot_fpu()), "setting the boot FPU state"));
  return in_context(vcpu.set_regs(pvh_regs(entry32, start_info)), "setting the boot registers");
}

Result<void> setup_msrs(Vcpu& vcpu) { return in_context(vcpu.set_msrs(boot_msrs()), "setting boot MSRs"); }

Result<void> setup_lapic(Vcpu& vcpu) {
  VMM_TRY_ASSIGN(kvm_lapic_state lapic, vcpu.get_lapic());
  set_virtual_wire_mode(lapic);
  return in_context(vcpu.set_lapic(lapic), "setting LAPIC LINT0/LINT1");
}

Result<void> apply_cpuid(Vcpu& vcpu, const CpuidEntries& entries) {
  return in_context(vcpu.set_cpuid(entries), "setting CPUID");
}

}  // namespace vmm::x86_64
