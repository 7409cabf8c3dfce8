// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/vmm/irqfd_line.hpp>

namespace vmm {

Result<IrqFdLine> IrqFdLine::create(Vm& vm, uint32_t gsi) {
  VMM_TRY_ASSIGN(EventFd event, EventFd::create());
  VMM_TRY(vm.register_irqfd(event, gsi));
  return IrqFdLine(std::move(event), gsi);
}

}  // namespace vmm
