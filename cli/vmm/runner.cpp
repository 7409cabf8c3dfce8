// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "runner.hpp"

#include <sys/epoll.h>

#include <cstdio>
#include <memory>
#include <optional>

#include <vmm/base/event_fd.hpp>
#include <vmm/base/signal_fd.hpp>
#include <vmm/event/event_loop.hpp>
#include <vmm/vmm/console.hpp>
#include <vmm/vmm/control_server.hpp>

#include "notify.hpp"

namespace vmm::cli {
namespace {

constexpr uint64_t kNsPerMs = 1'000'000;
constexpr uint64_t kInputRetryNs = 5 * kNsPerMs;

void say(const std::string& line) { std::fprintf(stderr, "vmm: %s\n", line.c_str()); }
// The same, after ending a partial line of guest output on the terminal.
void say(Console& console, const std::string& line) {
  console.start_line();
  say(line);
}

// One VM run on the main thread's event loop: signals, the machine's vCPU
// reports, the shutdown timer and the console input retry timer.
class Session final : public EventSubscriber {
 public:
  Session(const MachineConfig& config, EventLoop& loop, Console& console, SignalFd& signals, TimerFd shutdown_timer,
          TimerFd input_timer)
      : config_(config),
        loop_(loop),
        console_(console),
        signals_(signals),
        shutdown_timer_(std::move(shutdown_timer)),
        input_timer_(std::move(input_timer)) {}

  Result<void> attach() {
    VMM_TRY(loop_.add(signals_.fd(), EPOLLIN, *this));
    VMM_TRY(loop_.add(shutdown_timer_.fd(), EPOLLIN, *this));
    VMM_TRY(loop_.add(input_timer_.fd(), EPOLLIN, *this));
    console_.set_escape_handler([this] { stop("stopped from the console (Ctrl-])"); });
    return ok();
  }
  void detach() {
    (void)loop_.remove(signals_.fd());
    (void)loop_.remove(shutdown_timer_.fd());
    (void)loop_.remove(input_timer_.fd());
  }

  // Builds and runs one machine until it ends.
  Result<MachineExit> run_once() {
    VMM_TRY_ASSIGN(machine_, build_machine(config_, console_));
    console_.set_input_handler([this](std::span<const uint8_t> bytes) { return machine_->send_console_input(bytes); });
    VMM_TRY(loop_.add(machine_->events_fd(), EPOLLIN, *this));
    VMM_TRY(machine_->start());
    notify_ready("running");
    while (!exit_) {
      VMM_TRY(loop_.run_once(-1));
      if (console_.has_pending_input()) (void)input_timer_.arm(kInputRetryNs);
    }
    (void)loop_.remove(machine_->events_fd());
    console_.set_input_handler({});
    machine_.reset();
    (void)shutdown_timer_.disarm();
    fallback_pending_ = false;
    MachineExit result = std::move(*exit_);
    exit_.reset();
    return result;
  }

  std::string control(const ControlRequest& request) {
    if (!machine_) return format_error_response(request.id, "no machine is running");
    Result<void> done = ok();
    switch (request.command) {
      case ControlCommand::kStatus:
        return format_status_response(request.id, MachineStatus{config_.name, machine_->state(), config_.vcpu.num,
                                                                config_.memory.size_mib});
      case ControlCommand::kPause: done = machine_->pause(); break;
      case ControlCommand::kResume: done = machine_->resume(); break;
      case ControlCommand::kShutdown: done = shutdown("shutdown requested on the control socket"); break;
      case ControlCommand::kStop: stop("stopped on the control socket"); break;
      case ControlCommand::kReboot: return format_error_response(request.id, "reboot is not supported yet", machine_->state());
    }
    if (!done) return format_error_response(request.id, done.error().message(), machine_->state());
    notify_status(std::string(to_string(machine_->state())));
    return format_ok_response(request.id, machine_->state());
  }

  // A reset after a shutdown request ends the process even under the
  // restart policy: a guest asked to shut down must not come back.
  [[nodiscard]] bool shutdown_requested() const { return shutdown_requested_; }

  void on_event(int fd, uint32_t) override {
    if (fd == signals_.fd()) return on_signal();
    if (fd == shutdown_timer_.fd()) {
      if (auto fired = shutdown_timer_.read(); fired && *fired > 0) on_shutdown_timer();
      return;
    }
    if (fd == input_timer_.fd()) {
      (void)input_timer_.read();
      return console_.tick();
    }
    if (machine_ && fd == machine_->events_fd()) {
      if (auto ended = machine_->process_events()) exit_ = std::move(*ended);
    }
  }

 private:
  void on_signal() {
    auto sig = signals_.read();
    if (!sig || *sig == 0 || !machine_) return;
    if (machine_->state() == MachineState::kShuttingDown) return stop("stopped by a second signal");
    if (auto asked = shutdown("signal " + std::to_string(*sig) + " received"); !asked) stop(asked.error().message());
  }

  // With ACPI the power button goes first; a guest that has not gone away
  // after half of shutdown_timeout_s (one without ACPI support, or that
  // ignores the button) also gets Ctrl-Alt-Del; at the timeout it is stopped.
  Result<void> shutdown(const std::string& why) {
    VMM_TRY(machine_->request_shutdown());
    shutdown_requested_ = true;
    say(console_, why + ": asking the guest to shut down (" + (config_.acpi ? "ACPI power button" : "Ctrl-Alt-Del") + ")");
    notify_stopping("shutting down");
    uint64_t timeout_ms = uint64_t{config_.shutdown_timeout_s} * 1000;
    if (timeout_ms == 0) {  // documented: 0 stops at once (arming a timerfd with 0 would disarm it)
      stop("stopped at once (shutdown_timeout_s is 0)");
      return ok();
    }
    fallback_pending_ = config_.acpi && timeout_ms / 2 > 0;
    return shutdown_timer_.arm((fallback_pending_ ? timeout_ms / 2 : timeout_ms) * kNsPerMs);
  }

  void on_shutdown_timer() {
    if (!fallback_pending_ || !machine_) {
      stop("the guest did not shut down within " + std::to_string(config_.shutdown_timeout_s) + " s; stopped");
      return;
    }
    fallback_pending_ = false;
    say(console_, "the guest ignored the power button: sending Ctrl-Alt-Del");
    if (auto sent = machine_->send_ctrl_alt_del(); !sent) say(sent.error().message());
    uint64_t timeout_ms = uint64_t{config_.shutdown_timeout_s} * 1000;
    if (auto armed = shutdown_timer_.arm((timeout_ms - timeout_ms / 2) * kNsPerMs); !armed)
      stop(armed.error().message());
  }

  void stop(const std::string& why) {
    if (machine_) machine_->stop(why);
  }

  const MachineConfig& config_;
  EventLoop& loop_;
  Console& console_;
  SignalFd& signals_;
  TimerFd shutdown_timer_;
  TimerFd input_timer_;
  std::unique_ptr<Machine> machine_;
  std::optional<MachineExit> exit_;
  bool shutdown_requested_ = false;
  bool fallback_pending_ = false;  // the shutdown timer's next expiry sends Ctrl-Alt-Del
};

int exit_code_for(const MachineExit& exit) {
  switch (exit.reason) {
    case MachineExit::Reason::kPowerOff:
    case MachineExit::Reason::kReset: return kExitGuestDone;
    case MachineExit::Reason::kStopped: return kExitStopped;
    case MachineExit::Reason::kFailed: return kExitError;
  }
  return kExitError;
}

Result<int> run(const MachineConfig& config) {
  // Block the signals we handle before any thread exists, so vCPU threads
  // inherit the mask and they are only ever read from the signalfd.
  VMM_TRY_ASSIGN(SignalFd signals, SignalFd::create({SIGTERM, SIGINT, SIGHUP}));
  VMM_TRY_ASSIGN(EventLoop loop, EventLoop::create());
  VMM_TRY_ASSIGN(auto console, Console::create(config.console, loop));
  VMM_TRY_ASSIGN(TimerFd shutdown_timer, TimerFd::create());
  VMM_TRY_ASSIGN(TimerFd input_timer, TimerFd::create());
  Session session(config, loop, *console, signals, std::move(shutdown_timer), std::move(input_timer));
  VMM_TRY(session.attach());
  std::unique_ptr<ControlServer> control;
  if (config.control.path) {
    VMM_TRY_ASSIGN(control, ControlServer::create(*config.control.path, loop,
                                                  [&session](const ControlRequest& r) { return session.control(r); }));
  }
  for (;;) {
    auto ended = session.run_once();
    if (!ended) {
      session.detach();
      return ended.error();
    }
    bool restart = ended->reason == MachineExit::Reason::kReset && config.on_reboot == RebootPolicy::kRestart &&
                   !session.shutdown_requested();
    if (restart) {
      say(*console, "guest reset: restarting");
      continue;
    }
    session.detach();
    say(*console, ended->detail.empty() ? std::string(to_string(ended->reason)) : ended->detail);
    return exit_code_for(*ended);
  }
}

}  // namespace

int build_only(const MachineConfig& config) {
  struct NullSink final : ByteSink {
    void write(std::span<const uint8_t>) override {}
  } sink;
  auto machine = build_machine(config, sink);
  if (!machine) {
    say("error: " + machine.error().message());
    return kExitError;
  }
  say("machine built (dry run)");
  return kExitGuestDone;
}

int run_machine(const MachineConfig& config) {
  auto code = run(config);
  if (!code) {
    say("error: " + code.error().message());
    return kExitError;
  }
  return *code;
}

}  // namespace vmm::cli
