// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/vmm/machine.hpp>

#include "machine_devices.hpp"
#include "machine_virtio.hpp"

#include <vmm/virtio/console.hpp>

namespace vmm {

using namespace std::chrono_literals;

std::string_view to_string(MachineExit::Reason reason) {
  switch (reason) {
    case MachineExit::Reason::kPowerOff: return "powered off";
    case MachineExit::Reason::kReset: return "reset";
    case MachineExit::Reason::kStopped: return "stopped";
    case MachineExit::Reason::kFailed: return "failed";
  }
  return "unknown";
}

Machine::Machine(MachineConfig config, Kvm kvm, Vm vm, GuestMemory memory, MachineEvents events)
    : config_(std::move(config)),
      kvm_(std::move(kvm)),
      vm_(std::move(vm)),
      memory_(std::move(memory)),
      events_(std::move(events)),
      control_(config_.vcpu.num) {}

Machine::~Machine() {
  if (threads_running_ > 0) {
    control_.set(RunControl::Request::kStop);
    kick_all();
  }
  for (auto& vcpu : vcpus_) vcpu->join();
}

void Machine::kick_all() {
  for (auto& vcpu : vcpus_) vcpu->kick();
}

Result<void> Machine::start() {
  if (state_ != MachineState::kCreated) return Error(std::make_error_code(std::errc::operation_not_permitted), "machine already started");
  VMM_TRY(VcpuThread::install_kick_handler());
  if (virtio_) VMM_TRY(virtio_->start());
  for (auto& vcpu : vcpus_) {
    if (auto started = vcpu->start(); !started) {
      stop("failed to start");
      return started;
    }
    ++threads_running_;
  }
  state_ = MachineState::kRunning;
  return ok();
}

Result<void> Machine::pause() {
  if (state_ == MachineState::kPaused) return ok();
  if (state_ != MachineState::kRunning) return Error(std::make_error_code(std::errc::operation_not_permitted), "machine is not running");
  control_.set(RunControl::Request::kPause);
  kick_all();
  if (!control_.wait_all_parked(2s)) {
    control_.set(RunControl::Request::kRun);
    return Error(std::make_error_code(std::errc::timed_out), "vCPUs did not pause within 2 s");
  }
  state_ = MachineState::kPaused;
  return ok();
}

Result<void> Machine::resume() {
  if (state_ == MachineState::kRunning) return ok();
  if (state_ != MachineState::kPaused) return Error(std::make_error_code(std::errc::operation_not_permitted), "machine is not paused");
  control_.set(RunControl::Request::kRun);
  state_ = MachineState::kRunning;
  return ok();
}

Result<void> Machine::require_running() const {
  if (state_ != MachineState::kRunning && state_ != MachineState::kShuttingDown)
    return Error(std::make_error_code(std::errc::operation_not_permitted), "machine is not running");
  return ok();
}

Result<void> Machine::request_shutdown() {
  if (state_ == MachineState::kPaused) VMM_TRY(resume());
  VMM_TRY(require_running());
  if (config_.acpi) {
    VMM_TRY(devices_->press_power_button());
  } else {
    VMM_TRY(devices_->request_ctrl_alt_del());
  }
  state_ = MachineState::kShuttingDown;
  return ok();
}

Result<void> Machine::send_ctrl_alt_del() {
  VMM_TRY(require_running());
  return devices_->request_ctrl_alt_del();
}

void Machine::stop(std::string detail) {
  if (!exit_) exit_ = MachineExit{MachineExit::Reason::kStopped, std::move(detail)};
  control_.set(RunControl::Request::kStop);
  kick_all();
}

void Machine::end_with(MachineExit exit) {
  if (!exit_) exit_ = std::move(exit);
  control_.set(RunControl::Request::kStop);
  kick_all();
}

std::optional<MachineExit> Machine::process_events() {
  for (auto& event : events_.drain()) {
    switch (event.reason) {
      case VcpuStopped::Reason::kReset: end_with({MachineExit::Reason::kReset, "guest reset"}); break;
      case VcpuStopped::Reason::kPowerOff: end_with({MachineExit::Reason::kPowerOff, "guest powered off"}); break;
      case VcpuStopped::Reason::kFatal: end_with({MachineExit::Reason::kFailed, event.detail}); break;
      case VcpuStopped::Reason::kStopped: break;
    }
    // The device-initiated reset (i8042) is reported without a thread ending.
    if (!event.thread_ended) continue;
    if (threads_running_ > 0) --threads_running_;
  }
  if (threads_running_ > 0 || state_ == MachineState::kCreated) return std::nullopt;
  for (auto& vcpu : vcpus_) vcpu->join();
  state_ = MachineState::kStopped;
  if (!exit_) exit_ = MachineExit{MachineExit::Reason::kStopped, "stopped"};
  return exit_;
}

size_t Machine::send_console_input(std::span<const uint8_t> bytes) {
  size_t taken = devices_->send_serial_input(bytes);
  // Both consoles share the host's console, so both get its input: a guest
  // may have its login on ttyS0, on hvc0 or on both. The UART's FIFO paces
  // the host; hvc0 gets the same bytes as far as its buffer has room.
  if (auto* console = virtio_ ? virtio_->active_console() : nullptr) (void)console->send_input(bytes.first(taken));
  return taken;
}

}  // namespace vmm
