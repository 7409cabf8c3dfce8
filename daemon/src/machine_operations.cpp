// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// The verbs of org.vmmkit.vmm1: each authorizes (polkit), checks the
// machine's state, acts (definitions, systemd, vmm's control socket) and
// replies. A failed call changes nothing on disk.
#include <csignal>

#include <vmm/vmm/config_json.hpp>

#include "daemon_error.hpp"
#include "manager.hpp"

namespace vmmd {
namespace {

constexpr std::chrono::milliseconds kControlTimeout{2000};
// With timeout_sec 0, vmm itself stops hard after shutdown_timeout_s; vmmd
// kills the unit only if that did not happen this much later.
constexpr uint64_t kStopGraceSec = 10;

vmm::Error no_such_machine(const std::string& name) {
  return daemon_error(DaemonErrc::kNoSuchMachine, "no machine named \"" + name + "\"");
}

vmm::Error wrong_state(const Machine& machine, const std::string& why) {
  return daemon_error(DaemonErrc::kInvalidState, "machine \"" + machine.name() + "\" is " +
                                                     std::string(to_string(machine.state())) + ": " + why);
}

}  // namespace

vmm::Result<vmm::ControlResponse> Manager::control(const Machine& machine, vmm::ControlCommand command) {
  if (!machine.config().control.path) {
    return daemon_error(DaemonErrc::kFailed, "machine \"" + machine.name() + "\" has no control socket");
  }
  VMM_TRY_ASSIGN(auto response, control_request(*machine.config().control.path, command, kControlTimeout));
  if (!response.ok) return daemon_error(DaemonErrc::kInvalidState, "vmm refused: " + response.error);
  return response;
}

void Manager::authorized(const MethodCall& call, const std::string& name, const char* action,
                         std::function<void(Machine&)> act) {
  if (find(name) == nullptr) {
    call.reply_error(no_such_machine(name));
    return;
  }
  polkit_.check(call, action, [this, call, name, act](vmm::Result<void> allowed) {
    if (!allowed) {
      call.reply_error(allowed.error());
      return;
    }
    // The machine may have gone while polkit was asked.
    Machine* machine = find(name);
    if (machine == nullptr) {
      call.reply_error(no_such_machine(name));
      return;
    }
    if (machine->busy) {
      call.reply_error(wrong_state(*machine, "another operation on it is in progress"));
      return;
    }
    act(*machine);
  });
}

void Manager::create_machine(const MethodCall& call, const std::string& name, const std::string& json) {
  auto config = store_.prepare(name, json);
  if (!config) {
    call.reply_error(config.error());
    return;
  }
  auto prepared = std::make_shared<vmm::MachineConfig>(std::move(*config));
  polkit_.check(call, kManageMachines, [this, call, name, prepared](vmm::Result<void> allowed) {
    if (!allowed) return call.reply_error(allowed.error());
    if (find(name) != nullptr) {
      return call.reply_error(daemon_error(DaemonErrc::kMachineExists, "machine \"" + name + "\" already exists"));
    }
    if (machines_.size() >= kMaxMachines) {
      return call.reply_error(daemon_error(DaemonErrc::kFailed, "vmmd holds the maximum of " +
                                                                    std::to_string(kMaxMachines) + " machines"));
    }
    if (auto saved = store_.save(name, *prepared); !saved) {
      return call.reply_error(saved.error().with_context("saving machine \"" + name + "\""));
    }
    Machine& machine = add({name, *prepared, false});
    log_->info("{}: defined", name);
    (void)sd_bus_emit_signal(bus_.get(), kManagerPath, kManagerInterface, "MachineAdded", "so", name.c_str(),
                             machine.object_path().c_str());
    std::string path = machine.object_path();
    call.reply_with([path](sd_bus_message* reply) { return sd_bus_message_append(reply, "o", path.c_str()); });
  });
}

void Manager::start_machine(const MethodCall& call, const std::string& name) {
  authorized(call, name, kControlMachines, [this, call, name](Machine& machine) {
    if (is_active(machine.state())) return call.reply_error(wrong_state(machine, "it is already running"));
    machine.busy = true;
    units_.start(machine.unit(), [this, call, name](vmm::Result<void> started) {
      if (Machine* current = find(name)) current->busy = false;
      refresh(name);
      if (!started) return call.reply_error(started.error().with_context("starting \"" + name + "\""));
      log_->info("{}: started", name);
      call.reply_empty();
    });
  });
}

void Manager::stop_machine(const MethodCall& call, const std::string& name, uint32_t timeout_sec) {
  authorized(call, name, kControlMachines, [this, call, name, timeout_sec](Machine& machine) {
    if (!is_active(machine.state())) return call.reply_error(wrong_state(machine, "it is not running"));
    machine.busy = true;
    // StopUnit makes systemd send SIGTERM: vmm presses the guest's power
    // button and stops it hard after its shutdown_timeout_s. After
    // timeout_sec (or that plus a grace period) vmmd sends SIGKILL.
    uint64_t seconds = timeout_sec != 0 ? timeout_sec : machine.config().shutdown_timeout_s + kStopGraceSec;
    using Deadline = std::pair<Manager*, std::string>;
    sd_event_source* timer = nullptr;
    auto* deadline = new Deadline(this, name);
    int r = sd_event_add_time_relative(
        event_, &timer, CLOCK_MONOTONIC, seconds * 1000 * 1000, 0,
        [](sd_event_source*, uint64_t, void* userdata) {
          auto& [manager, machine_name] = *static_cast<Deadline*>(userdata);
          if (Machine* target = manager->find(machine_name)) {
            manager->log_->warn("{}: did not stop in time, killing it", machine_name);
            manager->units_.kill(target->unit(), SIGKILL, [](vmm::Result<void>) {});
          }
          return 0;
        },
        deadline);
    if (r < 0) {
      delete deadline;
      log_->warn("{}: no hard-stop timer ({}); relying on vmm and TimeoutStopSec", name, r);
    } else {
      (void)sd_event_source_set_destroy_callback(timer, [](void* userdata) { delete static_cast<Deadline*>(userdata); });
      stop_timers_[name].reset(timer);
    }
    units_.stop(machine.unit(), [this, call, name](vmm::Result<void> stopped) {
      stop_timers_.erase(name);
      if (Machine* current = find(name)) current->busy = false;
      refresh(name);
      if (!stopped) return call.reply_error(stopped.error().with_context("stopping \"" + name + "\""));
      log_->info("{}: stopped", name);
      call.reply_empty();
    });
  });
}

void Manager::kill_machine(const MethodCall& call, const std::string& name) {
  polkit_.check(call, kControlMachines, [this, call, name](vmm::Result<void> allowed) {
    if (!allowed) return call.reply_error(allowed.error());
    Machine* machine = find(name);
    if (machine == nullptr) return call.reply_error(no_such_machine(name));
    // Kill also ends a machine stuck in a stop or start, so busy is fine.
    if (!is_active(machine->state())) return call.reply_error(wrong_state(*machine, "it is not running"));
    units_.kill(machine->unit(), SIGKILL, [this, call, name](vmm::Result<void> killed) {
      refresh(name);
      if (!killed) return call.reply_error(killed.error());
      log_->info("{}: killed", name);
      call.reply_empty();
    });
  });
}

void Manager::reboot_machine(const MethodCall& call, const std::string& name) {
  authorized(call, name, kControlMachines, [this, call, name](Machine& machine) {
    if (!is_active(machine.state())) return call.reply_error(wrong_state(machine, "it is not running"));
    machine.busy = true;
    // vmm's control "reboot" is reserved: a new vmm process is the reboot.
    units_.restart(machine.unit(), [this, call, name](vmm::Result<void> restarted) {
      if (Machine* current = find(name)) current->busy = false;
      refresh(name);
      if (!restarted) return call.reply_error(restarted.error().with_context("rebooting \"" + name + "\""));
      log_->info("{}: rebooted", name);
      call.reply_empty();
    });
  });
}

void Manager::pause_machine(const MethodCall& call, const std::string& name, bool pause) {
  authorized(call, name, kControlMachines, [this, call, pause](Machine& machine) {
    GuestState needed = pause ? GuestState::kRunning : GuestState::kPaused;
    if (machine.state() != needed) {
      return call.reply_error(wrong_state(machine, pause ? "only a running machine can be paused"
                                                         : "only a paused machine can be resumed"));
    }
    auto answer = control(machine, pause ? vmm::ControlCommand::kPause : vmm::ControlCommand::kResume);
    if (!answer) return call.reply_error(answer.error());
    state_may_have_changed(machine, machine.set_paused(pause, now_usec()));
    call.reply_empty();
  });
}

void Manager::undefine_machine(const MethodCall& call, const std::string& name) {
  authorized(call, name, kManageMachines, [this, call, name](Machine& machine) {
    if (is_active(machine.state())) return call.reply_error(wrong_state(machine, "stop it first"));
    if (auto removed = store_.remove(name); !removed) {
      return call.reply_error(removed.error().with_context("removing machine \"" + name + "\""));
    }
    std::string path = machine.object_path();
    machines_.erase(name);
    log_->info("{}: undefined", name);
    (void)sd_bus_emit_signal(bus_.get(), kManagerPath, kManagerInterface, "MachineRemoved", "so", name.c_str(),
                             path.c_str());
    call.reply_empty();
  });
}

void Manager::set_autostart(const MethodCall& call, const std::string& name, bool enable) {
  authorized(call, name, kManageMachines, [this, call, enable](Machine& machine) {
    if (machine.autostart() != enable) {
      if (auto stored = store_.set_autostart(machine.name(), enable); !stored) return call.reply_error(stored.error());
      machine.set_autostart(enable);
      emit_properties(machine, {"Autostart"});
    }
    call.reply_empty();
  });
}

void Manager::get_config(const MethodCall& call, const std::string& name) {
  Machine* machine = find(name);
  if (machine == nullptr) return call.reply_error(no_such_machine(name));
  std::string json = vmm::to_json(machine->config());
  call.reply_with([&json](sd_bus_message* reply) { return sd_bus_message_append(reply, "s", json.c_str()); });
}

void Manager::replace_config(const MethodCall& call, const std::string& name, const std::string& json) {
  if (find(name) == nullptr) return call.reply_error(no_such_machine(name));
  auto config = store_.prepare(name, json);
  if (!config) return call.reply_error(config.error());
  auto prepared = std::make_shared<vmm::MachineConfig>(std::move(*config));
  authorized(call, name, kManageMachines, [this, call, prepared](Machine& machine) {
    if (auto saved = store_.save(machine.name(), *prepared); !saved) return call.reply_error(saved.error());
    machine.set_config(*prepared);
    log_->info("{}: config replaced (takes effect at the next start)", machine.name());
    emit_properties(machine, {"VCPUs", "MemoryMiB", "Kernel", "ConsoleSocket", "ControlSocket"});
    call.reply_empty();
  });
}

void Manager::open_console(const MethodCall& call, const std::string& name) {
  authorized(call, name, kOpenConsole, [call](Machine& machine) {
    if (!is_active(machine.state())) return call.reply_error(wrong_state(machine, "start it first"));
    const auto& console = machine.config().console;
    if (console.mode != vmm::ConsoleMode::kSocket || !console.path) {
      return call.reply_error(wrong_state(machine, "its console is not a socket"));
    }
    auto fd = connect_unix(*console.path);
    if (!fd) return call.reply_error(daemon_error(DaemonErrc::kFailed, "console: " + fd.error().message()));
    int raw = fd->get();
    // sd-bus duplicates the descriptor into the message; ours closes here.
    call.reply_with([raw](sd_bus_message* reply) { return sd_bus_message_append(reply, "h", raw); });
  });
}

}  // namespace vmmd
