// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/vmm/machine_events.hpp>

namespace vmm {

Result<MachineEvents> MachineEvents::create() {
  VMM_TRY_ASSIGN(EventFd wakeup, EventFd::create());
  return MachineEvents(std::move(wakeup));
}

void MachineEvents::post(VcpuStopped event) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(event));
  }
  // An eventfd write only fails if the counter would overflow; the reader
  // drains the queue regardless, so nothing is lost.
  (void)wakeup_.write(1);
}

std::vector<VcpuStopped> MachineEvents::drain() {
  (void)wakeup_.read();
  std::lock_guard lock(mutex_);
  std::vector<VcpuStopped> events(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
  queue_.clear();
  return events;
}

}  // namespace vmm
