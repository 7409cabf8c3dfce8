// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <vmm/base/export.hpp>
#include <vmm/base/result.hpp>
#include <vmm/kvm/vcpu.hpp>
#include <vmm/memory/guest_address.hpp>

// Putting a vCPU in the state an entry point expects. The guest-memory half
// (write_gdt, write_identity_page_tables, write_boot_params or
// write_pvh_start_info) must be written too; only the boot vCPU is
// configured this way, the others wait for INIT/SIPI from the guest.
namespace vmm::x86_64 {

// Linux 64-bit boot protocol: long mode with the identity map, rip = entry,
// rsi = boot_params (registers.hpp: long_mode_sregs, long_mode_regs,
// boot_fpu). Needs write_gdt and write_identity_page_tables.
VMM_API Result<void> configure_long_mode(Vcpu& vcpu, GuestAddress entry, GuestAddress boot_params);

// PVH entry: 32-bit protected mode, paging off, rip = entry32,
// rbx = start_info (pvh_sregs, pvh_regs, boot_fpu). Needs write_gdt.
VMM_API Result<void> configure_pvh(Vcpu& vcpu, GuestAddress entry32, GuestAddress start_info);

// KVM_SET_MSRS with boot_msrs() (msrs.hpp). Every vCPU.
VMM_API Result<void> setup_msrs(Vcpu& vcpu);

// LINT0 = ExtINT, LINT1 = NMI (lapic.hpp: set_virtual_wire_mode) through
// KVM_GET_LAPIC / KVM_SET_LAPIC. Every vCPU, after the irqchip exists.
VMM_API Result<void> setup_lapic(Vcpu& vcpu);

}  // namespace vmm::x86_64
