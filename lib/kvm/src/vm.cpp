// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// VM ioctls: memory slots, dirty log, in-kernel devices, clock and vCPU
// creation (Documentation/virt/kvm/api.rst, section 4).
#include <sys/mman.h>

#include <string>

#include <vmm/kvm/vm.hpp>

#include "ioctl.hpp"

namespace vmm {

using kvm_detail::ioctl_result;
using kvm_detail::ioctl_retry;

namespace {

// KVM_GET_DIRTY_LOG has one bit per 4 KiB page of the slot (api.rst, KVM_GET_DIRTY_LOG).
constexpr uint64_t kDirtyLogPageSize = 4096;

}  // namespace

Result<void> Vm::set_user_memory_region(uint32_t slot, uint64_t guest_address, uint64_t size,
                                        uint64_t host_address, bool log_dirty_pages) {
  kvm_userspace_memory_region region{};
  region.slot = slot;
  region.flags = log_dirty_pages ? KVM_MEM_LOG_DIRTY_PAGES : 0;
  region.guest_phys_addr = guest_address;
  region.memory_size = size;
  region.userspace_addr = host_address;
  return ioctl_result(ioctl_retry(fd_.get(), KVM_SET_USER_MEMORY_REGION, &region),
                      [&] { return "KVM_SET_USER_MEMORY_REGION slot " + std::to_string(slot); });
}

Result<std::vector<uint64_t>> Vm::get_dirty_log(uint32_t slot, uint64_t size) {
  if (size == 0)
    return Error(std::make_error_code(std::errc::invalid_argument),
                 "KVM_GET_DIRTY_LOG slot " + std::to_string(slot) + ": slot size is zero");
  uint64_t pages = size / kDirtyLogPageSize + (size % kDirtyLogPageSize != 0);
  std::vector<uint64_t> bitmap(pages / 64 + (pages % 64 != 0));
  kvm_dirty_log log{};
  log.slot = slot;
  log.dirty_bitmap = bitmap.data();
  VMM_TRY(ioctl_result(ioctl_retry(fd_.get(), KVM_GET_DIRTY_LOG, &log),
                       [&] { return "KVM_GET_DIRTY_LOG slot " + std::to_string(slot); }));
  return bitmap;
}

Result<void> Vm::create_irqchip() {
  return ioctl_result(ioctl_retry(fd_.get(), KVM_CREATE_IRQCHIP, 0), "KVM_CREATE_IRQCHIP");
}

Result<void> Vm::create_pit2() {
  // KVM_PIT_SPEAKER_DUMMY: KVM emulates port 0x61 so guests that probe the
  // speaker/PIT channel 2 gate (Linux's TSC calibration) get sane reads.
  kvm_pit_config config{};
  config.flags = KVM_PIT_SPEAKER_DUMMY;
  return ioctl_result(ioctl_retry(fd_.get(), KVM_CREATE_PIT2, &config), "KVM_CREATE_PIT2");
}

Result<void> Vm::set_tss_address(uint64_t address) {
  // api.rst, KVM_SET_TSS_ADDR: the address is passed by value; three pages below 4 GiB
  // that the guest does not use (Intel VMX needs them for real mode).
  return ioctl_result(ioctl_retry(fd_.get(), KVM_SET_TSS_ADDR, static_cast<unsigned long>(address)),
                      [&] { return "KVM_SET_TSS_ADDR " + hex(address); });
}

Result<void> Vm::set_identity_map_address(uint64_t address) {
  // api.rst, KVM_SET_IDENTITY_MAP_ADDR: passed by pointer; must be called before any vCPU exists.
  return ioctl_result(ioctl_retry(fd_.get(), KVM_SET_IDENTITY_MAP_ADDR, &address),
                      [&] { return "KVM_SET_IDENTITY_MAP_ADDR " + hex(address); });
}

Result<void> Vm::set_clock(uint64_t ns) {
  kvm_clock_data data{};
  data.clock = ns;
  return ioctl_result(ioctl_retry(fd_.get(), KVM_SET_CLOCK, &data), "KVM_SET_CLOCK");
}

Result<Vcpu> Vm::create_vcpu(uint32_t id) {
  int fd = ioctl_retry(fd_.get(), KVM_CREATE_VCPU, static_cast<unsigned long>(id));
  VMM_TRY(ioctl_result(fd, [&] { return "KVM_CREATE_VCPU " + std::to_string(id); }));
  Fd vcpu_fd(fd);
  // api.rst, KVM_RUN: the shared kvm_run area is mmap()ed from the vCPU
  // fd, KVM_GET_VCPU_MMAP_SIZE bytes (kvm_run plus e.g. the PIO data page).
  void* run = ::mmap(nullptr, run_size_, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu_fd.get(), 0);
  if (run == MAP_FAILED) {
    int err = errno;
    return Error::from_errno(err, "mmap kvm_run of vCPU " + std::to_string(id));
  }
  return Vcpu(std::move(vcpu_fd), id, static_cast<kvm_run*>(run), run_size_);
}

}  // namespace vmm
