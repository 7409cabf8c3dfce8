// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <pthread.h>

#include <atomic>
#include <thread>

#include <vmm/kvm/vcpu.hpp>
#include <vmm/vmm/exit_handler.hpp>
#include <vmm/vmm/machine_events.hpp>
#include <vmm/vmm/run_control.hpp>

namespace vmm {

// One thread running one vCPU: KVM_RUN, dispatch the exit, repeat. It stops
// when the guest resets or powers off, on a fatal exit, or when RunControl
// says stop; it reports why through MachineEvents.
class VMM_API VcpuThread {
 public:
  VcpuThread(Vcpu vcpu, IoBuses buses, RunControl& control, MachineEvents& events)
      : vcpu_(std::move(vcpu)), buses_(buses), control_(control), events_(events) {}
  VcpuThread(const VcpuThread&) = delete;
  VcpuThread& operator=(const VcpuThread&) = delete;
  ~VcpuThread() { join(); }

  // The kick signal interrupts KVM_RUN in a vCPU thread; its handler does
  // nothing. Installed once per process before any vCPU thread starts.
  static Result<void> install_kick_handler();

  Result<void> start();
  // Makes a KVM_RUN in progress (or the next one) return promptly.
  void kick();
  void join();
  [[nodiscard]] Vcpu& vcpu() { return vcpu_; }

 private:
  void run_loop();
  void finish(VcpuStopped::Reason reason, std::string detail = {});

  Vcpu vcpu_;
  IoBuses buses_;
  RunControl& control_;
  MachineEvents& events_;
  std::thread thread_;
  std::atomic<bool> started_{false};
};

}  // namespace vmm
