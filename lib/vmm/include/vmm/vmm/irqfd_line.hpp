// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <vmm/base/event_fd.hpp>
#include <vmm/devices/interrupt.hpp>
#include <vmm/kvm/vm.hpp>

namespace vmm {

// An edge-triggered interrupt line into KVM's in-kernel irqchip through an
// irqfd: trigger() is one eventfd write, callable from any thread, and KVM
// injects the GSI without a round trip through an ioctl.
class VMM_API IrqFdLine final : public InterruptLine {
 public:
  static Result<IrqFdLine> create(Vm& vm, uint32_t gsi);
  void trigger() override { (void)event_.write(1); }
  [[nodiscard]] uint32_t gsi() const { return gsi_; }

 private:
  IrqFdLine(EventFd event, uint32_t gsi) : event_(std::move(event)), gsi_(gsi) {}
  EventFd event_;
  uint32_t gsi_;
};

}  // namespace vmm
