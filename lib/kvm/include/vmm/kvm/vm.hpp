// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <linux/kvm.h>

#include <cstdint>
#include <span>
#include <vector>

#include <vmm/base/event_fd.hpp>
#include <vmm/kvm/kvm.hpp>
#include <vmm/kvm/vcpu.hpp>

namespace vmm {

// One GSI routing entry for KVM_SET_GSI_ROUTING.
struct GsiRoute {
  enum class Kind { kIrqchip, kMsi };
  uint32_t gsi = 0;
  Kind kind = Kind::kIrqchip;
  uint32_t irqchip = 0;  // KVM_IRQCHIP_PIC_MASTER/SLAVE/IOAPIC
  uint32_t pin = 0;
  uint64_t msi_address = 0;
  uint32_t msi_data = 0;
};

// Where an ioeventfd listens: KVM signals the eventfd instead of exiting
// to userspace when the guest writes there.
struct IoEventAddress {
  enum class Space { kPio, kMmio };
  Space space = Space::kMmio;
  uint64_t address = 0;
  uint32_t length = 4;   // access width to match (0 = any, MMIO only)
  bool match_data = false;
  uint64_t data = 0;     // value to match when match_data
};

class VMM_API Vm {
 public:
  // KVM_SET_USER_MEMORY_REGION. size 0 deletes the slot.
  Result<void> set_user_memory_region(uint32_t slot, uint64_t guest_address, uint64_t size,
                                      uint64_t host_address, bool log_dirty_pages = false);
  // KVM_GET_DIRTY_LOG for a slot of `size` bytes: one bit per 4 KiB page.
  Result<std::vector<uint64_t>> get_dirty_log(uint32_t slot, uint64_t size);

  Result<void> create_irqchip();
  // KVM_CREATE_PIT2 (with the speaker dummy so port 0x61 reads work).
  Result<void> create_pit2();
  Result<void> set_tss_address(uint64_t address);
  Result<void> set_identity_map_address(uint64_t address);
  // KVM_IRQ_LINE: drives a GSI to a level (edge interrupts: 1 then 0).
  Result<void> set_irq_line(uint32_t gsi, bool level);
  Result<void> register_irqfd(const EventFd& event, uint32_t gsi, const EventFd* resample = nullptr);
  Result<void> unregister_irqfd(const EventFd& event, uint32_t gsi);
  Result<void> register_ioeventfd(const EventFd& event, const IoEventAddress& where);
  Result<void> unregister_ioeventfd(const EventFd& event, const IoEventAddress& where);
  Result<void> set_gsi_routing(std::span<const GsiRoute> routes);
  // KVM_SIGNAL_MSI; returns whether the interrupt was delivered.
  Result<bool> signal_msi(uint64_t address, uint32_t data);
  Result<void> set_clock(uint64_t ns);

  // vCPU ids are dense from 0; the kvm_run mapping size comes from the Kvm.
  Result<Vcpu> create_vcpu(uint32_t id);

  [[nodiscard]] int fd() const { return fd_.get(); }

 private:
  friend class Kvm;
  Vm(Fd fd, size_t run_size) : fd_(std::move(fd)), run_size_(run_size) {}
  Fd fd_;
  size_t run_size_;
};

}  // namespace vmm
