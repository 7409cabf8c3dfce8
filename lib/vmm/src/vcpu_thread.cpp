// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/vmm/vcpu_thread.hpp>

#include <signal.h>

#include <cerrno>
#include <string>

namespace vmm {
namespace {

int kick_signal() { return SIGRTMIN; }

void ignore_kick(int) {}

}  // namespace

Result<void> VcpuThread::install_kick_handler() {
  struct sigaction action {};
  action.sa_handler = ignore_kick;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: KVM_RUN must return EINTR
  if (sigaction(kick_signal(), &action, nullptr) < 0) return Error::from_errno("sigaction (vCPU kick signal)");
  return ok();
}

Result<void> VcpuThread::start() {
  try {
    thread_ = std::thread([this] { run_loop(); });
  } catch (const std::system_error& e) {
    return Error(e.code(), "starting vCPU " + std::to_string(vcpu_.id()) + " thread");
  }
  started_ = true;
  return ok();
}

void VcpuThread::kick() {
  vcpu_.kick();
  if (started_ && thread_.joinable()) pthread_kill(thread_.native_handle(), kick_signal());
}

void VcpuThread::join() {
  if (thread_.joinable()) thread_.join();
}

void VcpuThread::finish(VcpuStopped::Reason reason, std::string detail) {
  control_.thread_exited();
  events_.post(VcpuStopped{vcpu_.id(), reason, std::move(detail)});
}

void VcpuThread::run_loop() {
  // The kick signal may be blocked in the thread that created us (the main
  // thread blocks what its signalfd handles); make sure it reaches us.
  sigset_t kick;
  sigemptyset(&kick);
  sigaddset(&kick, kick_signal());
  pthread_sigmask(SIG_UNBLOCK, &kick, nullptr);

  if (control_.next() == RunControl::Request::kStop) return finish(VcpuStopped::Reason::kStopped);
  for (;;) {
    auto exit = vcpu_.run();
    if (!exit) return finish(VcpuStopped::Reason::kFatal, exit.error().message());
    switch (handle_exit(*exit, buses_)) {
      case ExitAction::kContinue: continue;
      case ExitAction::kInterrupted:
        vcpu_.set_immediate_exit(false);
        if (control_.next() == RunControl::Request::kStop) return finish(VcpuStopped::Reason::kStopped);
        continue;
      case ExitAction::kReset: return finish(VcpuStopped::Reason::kReset);
      case ExitAction::kPowerOff: return finish(VcpuStopped::Reason::kPowerOff);
      case ExitAction::kFatal:
        return finish(VcpuStopped::Reason::kFatal,
                      "vCPU " + std::to_string(vcpu_.id()) + ": " + describe_fatal_exit(*exit));
    }
  }
}

}  // namespace vmm
