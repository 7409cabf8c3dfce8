// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Building a machine is a straight recipe of small steps over a validated
// MachineConfig (Firecracker's builder.rs has the same shape).
#include <sys/sysinfo.h>

#include <vmm/arch/boot_params.hpp>
#include <vmm/arch/cpuid.hpp>
#include <vmm/arch/e820.hpp>
#include <vmm/arch/layout.hpp>
#include <vmm/arch/mptable.hpp>
#include <vmm/arch/paging.hpp>
#include <vmm/arch/gdt.hpp>
#include <vmm/arch/pvh.hpp>
#include <vmm/arch/vcpu_setup.hpp>
#include <vmm/base/mapped_file.hpp>
#include <vmm/loader/cmdline.hpp>
#include <vmm/loader/initrd.hpp>
#include <vmm/loader/kernel.hpp>
#include <vmm/vmm/machine.hpp>

#include "machine_acpi.hpp"
#include "machine_devices.hpp"
#include "machine_virtio.hpp"

namespace vmm {

namespace x86 = vmm::x86_64;

// Friend of Machine: fills in the parts the builder owns.
class MachineBuilder {
 public:
  static Result<std::unique_ptr<Machine>> make(MachineConfig config, Kvm kvm, Vm vm, GuestMemory memory) {
    VMM_TRY_ASSIGN(MachineEvents events, MachineEvents::create());
    return std::unique_ptr<Machine>(
        new Machine(std::move(config), std::move(kvm), std::move(vm), std::move(memory), std::move(events)));
  }
  static Bus& pio(Machine& m) { return m.pio_; }
  static Bus& mmio(Machine& m) { return m.mmio_; }
  static Vm& vm(Machine& m) { return m.vm_; }
  static Kvm& kvm(Machine& m) { return m.kvm_; }
  static GuestMemory& memory(Machine& m) { return m.memory_; }
  static MachineEvents& events(Machine& m) { return m.events_; }
  static void set_devices(Machine& m, std::unique_ptr<MachineDevices> d) { m.devices_ = std::move(d); }
  static void set_virtio(Machine& m, std::unique_ptr<VirtioDevices> v) { m.virtio_ = std::move(v); }
  static void add_vcpu(Machine& m, Vcpu vcpu) {
    m.vcpus_.push_back(std::make_unique<VcpuThread>(std::move(vcpu), IoBuses{m.pio_, m.mmio_}, m.control_, m.events_));
  }
};

namespace {

Error invalid(const std::string& what) { return Error(std::make_error_code(std::errc::invalid_argument), what); }

Result<Kvm> open_kvm(const MachineConfig& config) {
  VMM_TRY_ASSIGN(Kvm kvm, Kvm::open());
  for (auto [cap, name] : {std::pair{KVM_CAP_IRQCHIP, "IRQCHIP"}, {KVM_CAP_USER_MEMORY, "USER_MEMORY"},
                           {KVM_CAP_IRQFD, "IRQFD"}, {KVM_CAP_IOEVENTFD, "IOEVENTFD"},
                           {KVM_CAP_IMMEDIATE_EXIT, "IMMEDIATE_EXIT"}, {KVM_CAP_PIT2, "PIT2"}}) {
    if (kvm.check_extension(cap) <= 0)
      return Error(make_error_code(KvmErrc::kMissingCapability), std::string("KVM lacks KVM_CAP_") + name);
  }
  if (config.vcpu.num > kvm.max_vcpus())
    return invalid(std::to_string(config.vcpu.num) + " vCPUs requested, KVM allows at most " + std::to_string(kvm.max_vcpus()));
  return kvm;
}

// Guest RAM goes into the VM before the in-kernel irqchip and PIT exist:
// measured here, registering 128 MiB after them costs 5-8 ms (KVM updates
// its per-VM state for every slot change), before them 0.2 ms.
Result<void> create_irqchip(Vm& vm) {
  VMM_TRY(vm.set_identity_map_address(x86::kKvmIdentityMapStart));
  VMM_TRY(vm.set_tss_address(x86::kKvmTssStart));
  VMM_TRY(vm.create_irqchip());
  return vm.create_pit2();
}

// Guest RAM is mapped MAP_NORESERVE, so the kernel would accept far more
// than the host has and the guest would be killed later, mid-run. Refuse it
// up front with a message that says why.
Result<void> check_host_can_back(uint64_t bytes) {
  struct sysinfo info {};
  if (sysinfo(&info) != 0) return ok();
  uint64_t host = (uint64_t{info.totalram} + info.totalswap) * info.mem_unit;
  if (bytes > host)
    return invalid("memory size_mib=" + std::to_string(bytes >> 20) + " is more than this host has (" +
                   std::to_string(host >> 20) + " MiB of RAM and swap)");
  return ok();
}

Result<GuestMemory> create_memory(const MachineConfig& config, Vm& vm) {
  uint64_t bytes = config.memory.size_mib << 20;
  VMM_TRY(check_host_can_back(bytes));
  auto layout = x86_64_memory_layout(bytes);
  VMM_TRY_ASSIGN(GuestMemory memory, GuestMemory::create(layout, MemoryOptions{config.memory.hugepages}));
  uint32_t slot = 0;
  for (const auto& region : memory.regions())
    VMM_TRY(vm.set_user_memory_region(slot++, region.start().value(), region.size(), region.host_address()));
  return memory;
}

struct BootImages {
  LoadedKernel kernel;
  std::optional<InitrdPlacement> initrd;
};

Result<BootImages> load_images(const MachineConfig& config, GuestMemory& memory) {
  auto file = MappedFile::open(config.kernel.path);
  if (!file) return file.error().with_context("kernel");
  auto kernel = load_kernel(memory, file->bytes());
  if (!kernel) return kernel.error().with_context("kernel " + config.kernel.path);
  BootImages images{*kernel, std::nullopt};
  if (config.kernel.initrd) {
    auto initrd_file = MappedFile::open(*config.kernel.initrd);
    if (!initrd_file) return initrd_file.error().with_context("initrd");
    auto placed = place_initrd(memory, initrd_file->bytes(), initrd_addr_max(*kernel), kernel->end);
    if (!placed) return placed.error().with_context("initrd " + *config.kernel.initrd);
    images.initrd = *placed;
  }
  return images;
}

bool use_pvh(const MachineConfig& config, const LoadedKernel& kernel) {
  switch (config.kernel.boot) {
    case BootProtocol::kPvh: return true;
    case BootProtocol::kLinux64: return false;
    case BootProtocol::kAuto: return kernel.pvh_entry.has_value();
  }
  return false;
}

Result<void> write_boot_structures(const MachineConfig& config, GuestMemory& memory, const BootImages& images,
                                   bool pvh, std::span<const VirtioSlot> virtio) {
  Cmdline cmdline(std::min<size_t>(cmdline_capacity(images.kernel), x86::kCmdlineMaxSize));
  // The virtio-mmio entries go on the command line whether or not there is
  // ACPI: kernels with CONFIG_VIRTIO_MMIO_CMDLINE_DEVICES take them from
  // there, stock distro kernels (built without it) from the DSDT.
  if (auto inserted = cmdline.insert_str(config.kernel.cmdline + virtio_cmdline_entries(virtio)); !inserted)
    return inserted.error().with_context("kernel command line");
  VMM_TRY(x86::write_cmdline(memory, cmdline.as_str()));
  VMM_TRY_ASSIGN(auto e820, x86::build_e820(memory));
  std::optional<x86::InitrdRange> initrd;
  if (images.initrd) initrd = x86::InitrdRange{images.initrd->address, images.initrd->size};
  // Both the MP table and ACPI (as Firecracker does): a kernel without
  // CONFIG_ACPI still finds its CPUs and IOAPIC.
  VMM_TRY(x86::write_mptable(memory, config.vcpu.num));
  std::optional<GuestAddress> rsdp;
  if (config.acpi) {
    VMM_TRY_ASSIGN(rsdp, write_machine_acpi(config, virtio, memory));
  }
  VMM_TRY(x86::write_gdt(memory));
  if (pvh)
    return x86::write_pvh_start_info(
        memory, x86::PvhSpec{GuestAddress(x86::kCmdlineStart), initrd, e820, rsdp.value_or(GuestAddress(0))});
  VMM_TRY(x86::write_identity_page_tables(memory));
  x86::BootParamsSpec spec{images.kernel.header, GuestAddress(x86::kCmdlineStart),
                           static_cast<uint32_t>(cmdline.size()), initrd, e820, rsdp};
  return x86::write_boot_params(memory, spec);
}

Result<void> attach_vcpus(Machine& machine, const MachineConfig& config, const LoadedKernel& kernel, bool pvh) {
  Kvm& kvm = MachineBuilder::kvm(machine);
  VMM_TRY_ASSIGN(CpuidEntries supported, kvm.supported_cpuid());
  for (uint32_t id = 0; id < config.vcpu.num; ++id) {
    VMM_TRY_ASSIGN(Vcpu vcpu, MachineBuilder::vm(machine).create_vcpu(id));
    VMM_TRY_ASSIGN(auto cpuid, x86::build_cpuid(supported, x86::CpuidSpec{id, config.vcpu.num}));
    VMM_TRY(x86::apply_cpuid(vcpu, cpuid));
    VMM_TRY(x86::setup_msrs(vcpu));
    VMM_TRY(x86::setup_lapic(vcpu));
    // Only the boot CPU gets an entry state; the others wait for INIT/SIPI
    // from the guest (KVM's in-kernel LAPIC keeps them in wait-for-SIPI).
    if (id == 0) {
      if (pvh) {
        VMM_TRY(x86::configure_pvh(vcpu, *kernel.pvh_entry, GuestAddress(x86::kPvhStartInfoStart)));
      } else {
        VMM_TRY(x86::configure_long_mode(vcpu, kernel.entry64, GuestAddress(x86::kZeroPageStart)));
      }
    }
    MachineBuilder::add_vcpu(machine, std::move(vcpu));
  }
  return ok();
}

Result<void> attach_virtio(Machine& machine, const MachineConfig& config, std::span<const VirtioSlot> slots,
                           ByteSink& console) {
  if (slots.empty()) return ok();
  VMM_TRY_ASSIGN(VirtioDeviceSet devices, create_virtio_devices(config, console));
  VMM_TRY_ASSIGN(auto virtio, VirtioDevices::attach(std::move(devices), slots, MachineBuilder::vm(machine),
                                                    MachineBuilder::mmio(machine), MachineBuilder::memory(machine)));
  MachineBuilder::set_virtio(machine, std::move(virtio));
  return ok();
}

}  // namespace

Result<std::unique_ptr<Machine>> build_machine(const MachineConfig& config, ByteSink& console) {
  VMM_TRY(validate(config));
  VMM_TRY_ASSIGN(Kvm kvm, open_kvm(config));
  VMM_TRY_ASSIGN(Vm vm, kvm.create_vm());
  VMM_TRY_ASSIGN(GuestMemory memory, create_memory(config, vm));
  VMM_TRY(create_irqchip(vm));
  VMM_TRY_ASSIGN(BootImages images, load_images(config, memory));
  bool pvh = use_pvh(config, images.kernel);
  if (pvh && !images.kernel.pvh_entry) return invalid("kernel " + config.kernel.path + " has no PVH entry note");
  VMM_TRY_ASSIGN(auto virtio_slots, plan_virtio_slots(config));
  VMM_TRY(write_boot_structures(config, memory, images, pvh, virtio_slots));

  VMM_TRY_ASSIGN(auto machine, MachineBuilder::make(config, std::move(kvm), std::move(vm), std::move(memory)));
  VMM_TRY_ASSIGN(auto devices, MachineDevices::attach(MachineBuilder::vm(*machine), MachineBuilder::pio(*machine),
                                                      MachineBuilder::memory(*machine), console,
                                                      MachineBuilder::events(*machine)));
  if (config.acpi) VMM_TRY(devices->attach_acpi(MachineBuilder::vm(*machine), MachineBuilder::pio(*machine),
                                                MachineBuilder::mmio(*machine)));
  MachineBuilder::set_devices(*machine, std::move(devices));
  VMM_TRY(attach_virtio(*machine, config, virtio_slots, console));
  VMM_TRY(attach_vcpus(*machine, config, images.kernel, pvh));
  return machine;
}

}  // namespace vmm
