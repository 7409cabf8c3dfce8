// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// /dev/kvm and VM-level ioctls: capabilities, CPUID, memory slots, in-kernel
// devices, irqfd, ioeventfd registration, GSI routing and MSIs.
#include <algorithm>
#include <vector>

#include <vmm/base/event_fd.hpp>

#include "kvm_fixture.hpp"

namespace vmm::testing {
namespace {

using KvmApi = KvmTest;

TEST_F(KvmApi, ReportsApiVersionAndRunSize) {
  EXPECT_EQ(kvm().api_version(), 12);
  auto run_size = kvm().vcpu_mmap_size();
  ASSERT_TRUE(run_size.ok()) << run_size.error().message();
  EXPECT_GE(*run_size, sizeof(kvm_run));
}

TEST_F(KvmApi, ReportsCapabilities) {
  EXPECT_GT(kvm().check_extension(KVM_CAP_USER_MEMORY), 0);
  EXPECT_GT(kvm().check_extension(KVM_CAP_IMMEDIATE_EXIT), 0);
  EXPECT_GT(kvm().check_extension(KVM_CAP_IRQFD), 0);
  EXPECT_GT(kvm().check_extension(KVM_CAP_IOEVENTFD), 0);
  EXPECT_GT(kvm().check_extension(KVM_CAP_NR_MEMSLOTS), 0);
  EXPECT_EQ(kvm().check_extension(-1), 0);  // unknown capability: absent, not an error
  EXPECT_GE(kvm().recommended_vcpus(), 1u);
  EXPECT_GE(kvm().max_vcpus(), kvm().recommended_vcpus());
  RecordProperty("nr_vcpus", static_cast<int>(kvm().recommended_vcpus()));
  RecordProperty("max_vcpus", static_cast<int>(kvm().max_vcpus()));
}

TEST_F(KvmApi, SupportedCpuidHasTheBasicLeaves) {
  auto cpuid = kvm().supported_cpuid();
  ASSERT_TRUE(cpuid.ok()) << cpuid.error().message();
  ASSERT_FALSE(cpuid->empty());
  auto leaf = [&](uint32_t function) {
    return std::find_if(cpuid->begin(), cpuid->end(),
                        [&](const kvm_cpuid_entry2& e) { return e.function == function; });
  };
  ASSERT_NE(leaf(0), cpuid->end());
  EXPECT_GE(leaf(0)->eax, 1u);  // highest basic leaf
  EXPECT_NE(leaf(1), cpuid->end());
  EXPECT_NE(leaf(0x80000000), cpuid->end());
}

TEST_F(KvmApi, MsrIndexListIsNonEmpty) {
  auto msrs = kvm().msr_index_list();
  ASSERT_TRUE(msrs.ok()) << msrs.error().message();
  EXPECT_FALSE(msrs->empty());
  EXPECT_NE(std::find(msrs->begin(), msrs->end(), 0x174u), msrs->end());  // IA32_SYSENTER_CS
}

TEST_F(KvmApi, CreatesVmWithIrqchipPitTssAndIdentityMap) {
  auto vm = kvm().create_vm();
  ASSERT_TRUE(vm.ok()) << vm.error().message();
  ASSERT_TRUE(vm->set_identity_map_address(kIdentityMapAddress).ok());
  ASSERT_TRUE(vm->set_tss_address(kTssAddress).ok());
  auto irqchip = vm->create_irqchip();
  ASSERT_TRUE(irqchip.ok()) << irqchip.error().message();
  auto pit = vm->create_pit2();
  ASSERT_TRUE(pit.ok()) << pit.error().message();
  auto second_pit = vm->create_pit2();
  ASSERT_FALSE(second_pit.ok());
  EXPECT_EQ(second_pit.error().message(), "KVM_CREATE_PIT2: File exists");
  EXPECT_TRUE(vm->set_clock(0).ok());
  auto vcpu = vm->create_vcpu(0);
  ASSERT_TRUE(vcpu.ok()) << vcpu.error().message();
  EXPECT_EQ(vcpu->id(), 0u);
  EXPECT_FALSE(vm->create_vcpu(0).ok());  // ids are unique
}

TEST_F(KvmApi, TwoVmsInOneProcess) {
  auto first = kvm().create_vm();
  auto second = kvm().create_vm();
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_TRUE(first->create_irqchip().ok());
  EXPECT_TRUE(second->create_irqchip().ok());
}

TEST_F(KvmApi, MapsGuestMemoryRegionsIntoSlots) {
  // 4 GiB of MAP_NORESERVE RAM: [0, 3 GiB) and [4 GiB, 5 GiB).
  auto memory = GuestMemory::create(x86_64_memory_layout(uint64_t{4} << 30));
  ASSERT_TRUE(memory.ok()) << memory.error().message();
  auto vm = kvm().create_vm();
  ASSERT_TRUE(vm.ok());
  uint32_t slot = 0;
  for (const GuestRegion& region : memory->regions()) {
    auto mapped =
        vm->set_user_memory_region(slot++, region.start().value(), region.size(), region.host_address());
    ASSERT_TRUE(mapped.ok()) << mapped.error().message();
  }
  const GuestRegion& low = memory->regions()[0];
  auto overlapping = vm->set_user_memory_region(2, 0x10'0000, 0x1000, low.host_address());
  ASSERT_FALSE(overlapping.ok());
  EXPECT_EQ(overlapping.error().message().rfind("KVM_SET_USER_MEMORY_REGION slot 2: ", 0), 0u)
      << overlapping.error().message();
  auto unaligned = vm->set_user_memory_region(3, 0x123, 0x1000, low.host_address());
  ASSERT_FALSE(unaligned.ok());
  EXPECT_EQ(unaligned.error().message(), "KVM_SET_USER_MEMORY_REGION slot 3: Invalid argument");
  EXPECT_TRUE(vm->set_user_memory_region(1, 0, 0, 0).ok());  // size 0 deletes the slot
}

TEST_F(KvmApi, DirtyLogOfAnUnloggedSlotFails) {
  auto vm = kvm().create_vm();
  ASSERT_TRUE(vm.ok());
  auto log = vm->get_dirty_log(7, 0x1000);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.error().message().rfind("KVM_GET_DIRTY_LOG slot 7: ", 0), 0u) << log.error().message();
  EXPECT_FALSE(vm->get_dirty_log(0, 0).ok());
}

// The GSI table QEMU installs for a PC: PIC pins on GSIs 0-15 (not the
// cascade, 2), IOAPIC pins on 0-23 with GSI 0 on pin 2; plus one MSI route.
std::vector<GsiRoute> pc_routes() {
  std::vector<GsiRoute> routes;
  for (uint32_t gsi = 0; gsi < 16; ++gsi) {
    if (gsi == 2) continue;
    uint32_t chip = gsi < 8 ? KVM_IRQCHIP_PIC_MASTER : KVM_IRQCHIP_PIC_SLAVE;
    routes.push_back(GsiRoute{gsi, GsiRoute::Kind::kIrqchip, chip, gsi % 8});
  }
  for (uint32_t gsi = 0; gsi < 24; ++gsi) {
    if (gsi == 2) continue;
    routes.push_back(GsiRoute{gsi, GsiRoute::Kind::kIrqchip, KVM_IRQCHIP_IOAPIC, gsi == 0 ? 2 : gsi});
  }
  routes.push_back(GsiRoute{24, GsiRoute::Kind::kMsi, 0, 0, 0xfee0'0000, 0x31});
  return routes;
}

TEST_F(KvmApi, InterruptPlumbing) {
  auto vm = kvm().create_vm();
  ASSERT_TRUE(vm.ok());
  ASSERT_TRUE(vm->create_irqchip().ok());
  std::vector<GsiRoute> routes = pc_routes();
  auto routed = vm->set_gsi_routing(routes);
  ASSERT_TRUE(routed.ok()) << routed.error().message();
  EXPECT_TRUE(vm->set_irq_line(4, true).ok());
  EXPECT_TRUE(vm->set_irq_line(4, false).ok());

  auto event = EventFd::create();
  auto resample = EventFd::create();
  ASSERT_TRUE(event.ok() && resample.ok());
  auto irqfd = vm->register_irqfd(*event, 5);
  ASSERT_TRUE(irqfd.ok()) << irqfd.error().message();
  EXPECT_TRUE(event->write().ok());
  EXPECT_TRUE(vm->unregister_irqfd(*event, 5).ok());
  auto level = vm->register_irqfd(*event, 10, &*resample);
  ASSERT_TRUE(level.ok()) << level.error().message();
  EXPECT_TRUE(vm->unregister_irqfd(*event, 10).ok());
  EXPECT_TRUE(vm->register_irqfd(*event, 24).ok());  // the MSI route

  // With no vCPU to deliver to, KVM_SIGNAL_MSI fails (-1, EPERM).
  EXPECT_FALSE(vm->signal_msi(0xfee0'0000, 0x30).ok());
  auto vcpu = vm->create_vcpu(0);
  ASSERT_TRUE(vcpu.ok());
  auto msi = vm->signal_msi(0xfee0'0000, 0x30);
  EXPECT_TRUE(msi.ok()) << msi.error().message();
}

TEST_F(KvmApi, TooManyRoutesAreRejectedBeforeTheIoctl) {
  auto vm = kvm().create_vm();
  ASSERT_TRUE(vm.ok());
  std::vector<GsiRoute> routes(5000);
  EXPECT_EQ(vm->set_gsi_routing(routes).error().code(), KvmErrc::kTooManyEntries);
}

TEST_F(KvmApi, IoeventfdRegistersAndUnregisters) {
  auto vm = kvm().create_vm();
  ASSERT_TRUE(vm.ok());
  auto event = EventFd::create();
  ASSERT_TRUE(event.ok());
  IoEventAddress mmio{IoEventAddress::Space::kMmio, 0xd000'0050, 4, true, 3};
  ASSERT_TRUE(vm->register_ioeventfd(*event, mmio).ok());
  auto twice = vm->register_ioeventfd(*event, mmio);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().message(), "KVM_IOEVENTFD mmio 0xd0000050 len 4 data 0x3: File exists");
  EXPECT_TRUE(vm->unregister_ioeventfd(*event, mmio).ok());
  EXPECT_FALSE(vm->unregister_ioeventfd(*event, mmio).ok());
  IoEventAddress pio{IoEventAddress::Space::kPio, 0x510, 2};
  EXPECT_TRUE(vm->register_ioeventfd(*event, pio).ok());
  EXPECT_TRUE(vm->unregister_ioeventfd(*event, pio).ok());
}

}  // namespace
}  // namespace vmm::testing
