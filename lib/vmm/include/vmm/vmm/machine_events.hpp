// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include <vmm/base/event_fd.hpp>

namespace vmm {

// Why a vCPU thread stopped running its vCPU.
struct VcpuStopped {
  enum class Reason : uint8_t { kReset, kPowerOff, kFatal, kStopped };
  uint32_t vcpu = 0;
  Reason reason = Reason::kStopped;
  std::string detail;  // one line for kFatal
  // False for a report from a device (the i8042's reset line) rather than
  // from a vCPU thread that has ended.
  bool thread_ended = true;
};

// A closed set of events flows from the vCPU threads (and any other thread)
// to the thread that owns the machine: a mutex-protected queue plus an
// eventfd the owner's event loop waits on. Nothing runs on the vCPU path
// except a push and an eventfd write, and only when a vCPU stops.
class VMM_API MachineEvents {
 public:
  static Result<MachineEvents> create();

  void post(VcpuStopped event);
  // Takes every pending event (and clears the eventfd).
  std::vector<VcpuStopped> drain();
  [[nodiscard]] int fd() const { return wakeup_.fd(); }

  MachineEvents(MachineEvents&& other) noexcept : wakeup_(std::move(other.wakeup_)), queue_(std::move(other.queue_)) {}

 private:
  explicit MachineEvents(EventFd wakeup) : wakeup_(std::move(wakeup)) {}
  EventFd wakeup_;
  std::mutex mutex_;
  std::deque<VcpuStopped> queue_;
};

}  // namespace vmm
