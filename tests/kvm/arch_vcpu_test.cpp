// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// The x86-64 boot glue on a real vCPU: the 64-bit (Linux boot protocol) and
// PVH entries with the GDT, page tables, boot_params and start_info that
// lib/arch writes, plus MSR, LAPIC and CPUID setup. Guests are a few
// hand-assembled instructions (ring 0 is emulated here: keep them short).
#include <cstring>
#include <optional>
#include <vector>

#include <vmm/arch/boot_params.hpp>
#include <vmm/arch/cpuid.hpp>
#include <vmm/arch/gdt.hpp>
#include <vmm/arch/lapic.hpp>
#include <vmm/arch/layout.hpp>
#include <vmm/arch/msrs.hpp>
#include <vmm/arch/paging.hpp>
#include <vmm/arch/pvh.hpp>
#include <vmm/arch/registers.hpp>
#include <vmm/arch/vcpu_setup.hpp>

#include "kvm_fixture.hpp"

namespace vmm::testing {
namespace {

using namespace vmm::x86_64;

constexpr uint64_t kEntry = kHighMemoryStart;
constexpr uint64_t kGuestRam = 64ULL << 20;

// clang-format off
// 64-bit: report boot_params->hdr.header through %rsi, reload DS/SS and CS
// from the GDT in guest memory, report 0x600d, halt.
constexpr uint8_t kLongModeGuest[] = {
    0x8b, 0x86, 0x02, 0x02, 0x00, 0x00,        // mov eax, [rsi + 0x202]   ("HdrS")
    0x66, 0xba, 0xf8, 0x03,                    // mov dx, 0x3f8
    0xef,                                      // out dx, eax
    0xb8, 0x18, 0x00, 0x00, 0x00,              // mov eax, 0x18            (__BOOT_DS)
    0x8e, 0xd8,                                // mov ds, eax
    0x8e, 0xd0,                                // mov ss, eax
    0x6a, 0x10,                                // push 0x10                (__BOOT_CS)
    0x48, 0x8d, 0x05, 0x03, 0x00, 0x00, 0x00,  // lea rax, [rip + 3]       (after lretq)
    0x50,                                      // push rax
    0x48, 0xcb,                                // lretq
    0xb8, 0x0d, 0x60, 0x00, 0x00,              // mov eax, 0x600d
    0xef,                                      // out dx, eax
    0xf4,                                      // hlt
};
// 32-bit, paging off: reload DS from the GDT, report start_info->magic via %ebx.
constexpr uint8_t kPvhGuest[] = {
    0x66, 0xb8, 0x18, 0x00,                    // mov ax, 0x18
    0x8e, 0xd8,                                // mov ds, ax
    0x8b, 0x03,                                // mov eax, [ebx]
    0x66, 0xba, 0xf8, 0x03,                    // mov dx, 0x3f8
    0xef,                                      // out dx, eax
    0xf4,                                      // hlt
};
// 64-bit: report CPUID.0x4000_0000:EBX.
constexpr uint8_t kCpuidGuest[] = {
    0xb8, 0x00, 0x00, 0x00, 0x40,              // mov eax, 0x40000000
    0x31, 0xc9,                                // xor ecx, ecx
    0x0f, 0xa2,                                // cpuid
    0x89, 0xd8,                                // mov eax, ebx
    0x66, 0xba, 0xf8, 0x03,                    // mov dx, 0x3f8
    0xef,                                      // out dx, eax
    0xf4,                                      // hlt
};
// clang-format on

struct Machine {
  Vm vm;
  GuestMemory memory;
  std::vector<Vcpu> vcpus;
};

Result<Machine> make_machine(const Kvm& kvm, unsigned vcpus, bool irqchip) {
  VMM_TRY_ASSIGN(Vm vm, kvm.create_vm());
  VMM_TRY(vm.set_tss_address(kKvmTssStart));
  VMM_TRY(vm.set_identity_map_address(kKvmIdentityMapStart));
  if (irqchip) VMM_TRY(vm.create_irqchip());
  VMM_TRY_ASSIGN(GuestMemory memory, GuestMemory::create(x86_64_memory_layout(kGuestRam)));
  const GuestRegion& region = memory.regions()[0];
  VMM_TRY(vm.set_user_memory_region(0, region.start().value(), region.size(), region.host_address()));
  std::vector<Vcpu> created;
  for (unsigned id = 0; id < vcpus; ++id) {
    VMM_TRY_ASSIGN(Vcpu vcpu, vm.create_vcpu(id));
    created.push_back(std::move(vcpu));
  }
  return Machine{std::move(vm), std::move(memory), std::move(created)};
}

// The memory side of a 64-bit boot, as the VMM does it.
Result<void> write_long_mode_boot(GuestMemory& memory, std::span<const uint8_t> code) {
  VMM_TRY(write_gdt(memory));
  VMM_TRY(write_identity_page_tables(memory));
  VMM_TRY(write_cmdline(memory, "console=ttyS0"));
  VMM_TRY_ASSIGN(auto e820, build_e820(memory));
  VMM_TRY(write_boot_params(memory, {std::nullopt, GuestAddress(kCmdlineStart), 13, std::nullopt, e820}));
  return memory.write(GuestAddress(kEntry), code);
}

uint32_t expect_out32(Vcpu& vcpu) {
  auto result = vcpu.run();
  EXPECT_TRUE(result.ok()) << result.error().message();
  if (!result.ok()) return 0;
  auto* out = std::get_if<exit::IoOut>(&*result);
  EXPECT_NE(out, nullptr) << "unexpected exit, variant index " << result->index();
  if (out == nullptr || out->data.size() != 4) return 0;
  uint32_t value;
  std::memcpy(&value, out->data.data(), 4);
  return value;
}

void expect_hlt(Vcpu& vcpu) {
  auto result = vcpu.run();
  ASSERT_TRUE(result.ok()) << result.error().message();
  EXPECT_TRUE(std::holds_alternative<exit::Hlt>(*result)) << "variant index " << result->index();
}

using ArchVcpuTest = KvmTest;

TEST_F(ArchVcpuTest, LongModeEntryFollowsTheBootProtocol) {
  auto machine = make_machine(kvm(), 1, false);
  ASSERT_TRUE(machine.ok()) << machine.error().message();
  ASSERT_TRUE(write_long_mode_boot(machine->memory, kLongModeGuest).ok());
  Vcpu& vcpu = machine->vcpus[0];
  auto configured = configure_long_mode(vcpu, GuestAddress(kEntry), GuestAddress(kZeroPageStart));
  ASSERT_TRUE(configured.ok()) << configured.error().message();

  EXPECT_EQ(expect_out32(vcpu), 0x53726448u);  // "HdrS" read through %rsi and the identity map
  EXPECT_EQ(expect_out32(vcpu), 0x600du);      // segments reloaded from the GDT in memory
  expect_hlt(vcpu);
  auto sregs = vcpu.get_sregs();
  ASSERT_TRUE(sregs.ok());
  EXPECT_EQ(sregs->efer & kEferLma, kEferLma);
  EXPECT_EQ(sregs->cs.selector, kCode64Selector);
  EXPECT_EQ(sregs->cs.l, 1);
}

TEST_F(ArchVcpuTest, PvhEntryPassesStartInfoInEbx) {
  auto machine = make_machine(kvm(), 1, false);
  ASSERT_TRUE(machine.ok()) << machine.error().message();
  GuestMemory& memory = machine->memory;
  ASSERT_TRUE(write_gdt(memory).ok());
  auto e820 = build_e820(memory);
  ASSERT_TRUE(e820.ok());
  ASSERT_TRUE(
      write_pvh_start_info(memory, {GuestAddress(kCmdlineStart), std::nullopt, *e820, GuestAddress()}).ok());
  ASSERT_TRUE(memory.write(GuestAddress(kEntry), kPvhGuest).ok());
  Vcpu& vcpu = machine->vcpus[0];
  auto configured = configure_pvh(vcpu, GuestAddress(kEntry), GuestAddress(kPvhStartInfoStart));
  ASSERT_TRUE(configured.ok()) << configured.error().message();

  EXPECT_EQ(expect_out32(vcpu), kHvmStartMagic);
  expect_hlt(vcpu);
}

TEST_F(ArchVcpuTest, BootMsrsAreAccepted) {
  auto machine = make_machine(kvm(), 1, false);
  ASSERT_TRUE(machine.ok()) << machine.error().message();
  Vcpu& vcpu = machine->vcpus[0];
  auto set = setup_msrs(vcpu);
  ASSERT_TRUE(set.ok()) << set.error().message();
  const uint32_t indices[] = {static_cast<uint32_t>(Msr::kMiscEnable),
                              static_cast<uint32_t>(Msr::kMtrrDefType)};
  auto values = vcpu.get_msrs(indices);
  ASSERT_TRUE(values.ok()) << values.error().message();
  EXPECT_EQ((*values)[0].value & kMiscEnableFastStrings, kMiscEnableFastStrings);
  EXPECT_EQ((*values)[1].value, kMtrrDefTypeWriteBackEnabled);
}

TEST_F(ArchVcpuTest, LapicIsInVirtualWireMode) {
  auto machine = make_machine(kvm(), 1, true);
  ASSERT_TRUE(machine.ok()) << machine.error().message();
  Vcpu& vcpu = machine->vcpus[0];
  auto set = setup_lapic(vcpu);
  ASSERT_TRUE(set.ok()) << set.error().message();
  auto lapic = vcpu.get_lapic();
  ASSERT_TRUE(lapic.ok());
  EXPECT_EQ((lapic_register(*lapic, kApicLvtLint0) >> 8) & 7, 7u);  // ExtINT
  EXPECT_EQ((lapic_register(*lapic, kApicLvtLint1) >> 8) & 7, 4u);  // NMI
}

TEST_F(ArchVcpuTest, CpuidIsAcceptedAndShowsTheKvmSignature) {
  auto machine = make_machine(kvm(), 2, false);
  ASSERT_TRUE(machine.ok()) << machine.error().message();
  auto supported = kvm().supported_cpuid();
  ASSERT_TRUE(supported.ok()) << supported.error().message();
  for (uint32_t id = 0; id < 2; ++id) {
    auto entries = build_cpuid(*supported, {id, 2});
    ASSERT_TRUE(entries.ok()) << entries.error().message();
    auto applied = apply_cpuid(machine->vcpus[id], *entries);
    ASSERT_TRUE(applied.ok()) << applied.error().message();
  }
  ASSERT_TRUE(write_long_mode_boot(machine->memory, kCpuidGuest).ok());
  Vcpu& vcpu = machine->vcpus[0];
  ASSERT_TRUE(configure_long_mode(vcpu, GuestAddress(kEntry), GuestAddress(kZeroPageStart)).ok());
  EXPECT_EQ(expect_out32(vcpu), kKvmSignatureEbx);
  expect_hlt(vcpu);
}

}  // namespace
}  // namespace vmm::testing
