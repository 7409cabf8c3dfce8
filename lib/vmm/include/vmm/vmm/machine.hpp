// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <vmm/bus/bus.hpp>
#include <vmm/devices/sink.hpp>
#include <vmm/kvm/kvm.hpp>
#include <vmm/kvm/vm.hpp>
#include <vmm/memory/guest_memory.hpp>
#include <vmm/vmm/machine_state.hpp>
#include <vmm/vmm/machine_config.hpp>
#include <vmm/vmm/machine_events.hpp>
#include <vmm/vmm/run_control.hpp>
#include <vmm/vmm/vcpu_thread.hpp>

namespace vmm {

// How a machine ended.
struct MachineExit {
  enum class Reason : uint8_t {
    kPowerOff,  // the guest powered off
    kReset,     // the guest reset (i8042 pulse, triple fault)
    kStopped,   // stopped from outside (stop request, shutdown timeout)
    kFailed,    // a vCPU hit a fatal error
  };
  Reason reason = Reason::kStopped;
  std::string detail;
};
[[nodiscard]] VMM_API std::string_view to_string(MachineExit::Reason reason);

class MachineDevices;
class VirtioDevices;

// A built machine: KVM VM, guest RAM with the kernel loaded, devices on the
// buses and one configured vCPU per thread-to-be. It is driven from one
// owner thread (the event loop): start(), pause(), resume(),
// request_shutdown(), stop(); vCPU threads report through events_fd(), after
// which the owner calls process_events() to learn whether the machine ended.
class VMM_API Machine {
 public:
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;
  ~Machine();

  Result<void> start();
  // Parks every vCPU (waits until they are parked).
  Result<void> pause();
  Result<void> resume();
  // Asks the guest to shut down: with ACPI (MachineConfig::acpi) a press of
  // the GED power button (Linux powers off through S5); without, Ctrl-Alt-Del
  // through the i8042 (a PC keyboard's "three-finger salute"; Linux reboots
  // on it, and with the default reboot policy the machine then ends).
  Result<void> request_shutdown();
  // Ctrl-Alt-Del through the i8042: the owner's fallback for a guest that
  // ignores the ACPI power button (see request_shutdown()).
  Result<void> send_ctrl_alt_del();
  // Stops every vCPU now (hard stop); the machine ends with kStopped.
  void stop(std::string detail = "stopped");

  // Readable when a vCPU thread stopped; then call process_events().
  [[nodiscard]] int events_fd() const { return events_.fd(); }
  // Handles vCPU reports; returns the exit once every vCPU thread is gone.
  std::optional<MachineExit> process_events();

  // Host input for the console: the serial port, and the virtio console
  // (hvc0) too once its driver is up. Returns how many bytes the UART took
  // (its FIFO is bounded: the caller keeps the rest for later).
  size_t send_console_input(std::span<const uint8_t> bytes);

  [[nodiscard]] MachineState state() const { return state_; }
  [[nodiscard]] const MachineConfig& config() const { return config_; }
  [[nodiscard]] const GuestMemory& memory() const { return memory_; }

 private:
  friend class MachineBuilder;
  Machine(MachineConfig config, Kvm kvm, Vm vm, GuestMemory memory, MachineEvents events);
  // Running or shutting down: the guest can still be asked to do something.
  Result<void> require_running() const;
  void end_with(MachineExit exit);
  void kick_all();

  MachineConfig config_;
  Kvm kvm_;
  Vm vm_;
  GuestMemory memory_;
  Bus pio_;
  Bus mmio_;
  std::unique_ptr<MachineDevices> devices_;
  // Its device thread stops when it is destroyed: after the vCPU threads
  // (joined in ~Machine), before the memory and buses it uses.
  std::unique_ptr<VirtioDevices> virtio_;
  MachineEvents events_;
  RunControl control_;
  MachineState state_ = MachineState::kCreated;
  std::optional<MachineExit> exit_;
  unsigned threads_running_ = 0;
  // Last member: vCPU threads are joined before anything they use goes away.
  std::vector<std::unique_ptr<VcpuThread>> vcpus_;
};

// Builds a machine from a validated config: a straight recipe of small
// steps (open KVM, create the VM, map RAM, load kernel and initrd, write the
// boot structures, attach devices, create and configure vCPUs). Serial
// output goes to `console`, which must outlive the machine.
VMM_API Result<std::unique_ptr<Machine>> build_machine(const MachineConfig& config, ByteSink& console);

}  // namespace vmm
