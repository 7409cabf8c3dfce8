// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "manager.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>

#include <systemd/sd-daemon.h>

#include "bus_objects.hpp"
#include "daemon_error.hpp"

namespace vmmd {
namespace {

// Written to the runtime folder (kept across vmmd restarts, emptied at boot)
// once the autostart machines were started in this boot.
constexpr const char* kAutostartMarker = "autostart.done";

}  // namespace

Manager::Manager(sd_event* event, BusPtr bus, DefinitionStore store, std::shared_ptr<spdlog::logger> log)
    : event_(event),
      bus_(std::move(bus)),
      store_(std::move(store)),
      log_(std::move(log)),
      units_(bus_.get()),
      polkit_(bus_.get()) {}

Manager::~Manager() = default;

uint64_t Manager::now_usec() const {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(now).count());
}

Machine* Manager::find(const std::string& name) {
  auto it = machines_.find(name);
  return it == machines_.end() ? nullptr : it->second.get();
}

vmm::Result<void> Manager::start() {
  VMM_TRY_ASSIGN(manager_vtable_slot_, add_manager_object(*this));
  VMM_TRY_ASSIGN(auto machine_slots, add_machine_objects(*this));
  machine_vtable_slot_ = std::move(machine_slots.vtable);
  machine_enumerator_slot_ = std::move(machine_slots.enumerator);
  if (auto subscribed = units_.subscribe(); !subscribed) {
    log_->warn("cannot subscribe to systemd's signals: {}", subscribed.error().message());
  }

  std::vector<LoadProblem> problems;
  for (Definition& definition : store_.load_all(problems)) add(std::move(definition));
  for (const LoadProblem& problem : problems) {
    // Left on disk for a person to fix: never deleted or overwritten.
    log_->error("skipping corrupt machine definition {}: {}", problem.path, problem.reason);
  }
  log_->info("loaded {} machine definition(s) from {}", machines_.size(), store_.definition_path("*"));

  int r = sd_bus_request_name(bus_.get(), kBusName, 0);
  if (r < 0) return bus_errno_error(r, std::string("taking the bus name ") + kBusName);
  r = sd_bus_attach_event(bus_.get(), event_, SD_EVENT_PRIORITY_NORMAL);
  if (r < 0) return bus_errno_error(r, "attaching the bus to the event loop");
  autostart_once_per_boot();
  return vmm::ok();
}

Machine& Manager::add(Definition definition) {
  std::string name = definition.name;
  auto machine = std::make_unique<Machine>(std::move(definition), now_usec());
  Machine& added = *machine;
  machines_[name] = std::move(machine);
  follow_unit(added);
  return added;
}

void Manager::follow_unit(Machine& machine) {
  std::string name = machine.name();
  auto watch = units_.watch(machine.unit(), [this, name] { refresh(name); });
  if (watch) {
    machine.unit_watch = std::move(*watch);
  } else {
    log_->warn("{}: cannot follow {}: {}", name, machine.unit(), watch.error().message());
  }
  refresh(name);
}

// Re-reads the unit's state; also what re-adopts a guest that kept running
// while vmmd was away. A running guest's vmm is asked whether it is paused.
void Manager::refresh(const std::string& name) {
  Machine* machine = find(name);
  if (machine == nullptr) return;
  units_.read_status(machine->unit(), [this, name](UnitStatus status) {
    Machine* current = find(name);
    if (current == nullptr) return;
    bool was_active = is_active(current->state());
    uint32_t pid_before = current->main_pid();
    bool changed = current->update_unit(status, now_usec());
    if (!changed && current->main_pid() != pid_before) emit_properties(*current, {"MainPID"});
    if (!was_active && current->state() == GuestState::kRunning && current->config().control.path) {
      auto reply = control(*current, vmm::ControlCommand::kStatus);
      if (reply && reply->state == vmm::MachineState::kPaused) changed |= current->set_paused(true, now_usec());
    }
    state_may_have_changed(*current, changed);
  });
}

void Manager::state_may_have_changed(Machine& machine, bool changed) {
  if (machine.state() == GuestState::kRunning && machine.main_pid() != 0 &&
      machine.registered_pid != machine.main_pid()) {
    register_with_machined(machine);
  }
  if (!is_active(machine.state())) machine.registered_pid = 0;
  if (!changed) return;
  std::string state(to_string(machine.state()));
  log_->info("{}: {}", machine.name(), state);
  emit_properties(machine, {"State", "StateChangeTimestamp", "MainPID"});
  (void)sd_bus_emit_signal(bus_.get(), kManagerPath, kManagerInterface, "MachineStateChanged", "sos",
                           machine.name().c_str(), machine.object_path().c_str(), state.c_str());
}

void Manager::emit_properties(const Machine& machine, std::initializer_list<const char*> properties) {
  std::vector<char*> names;
  for (const char* property : properties) names.push_back(const_cast<char*>(property));
  names.push_back(nullptr);
  (void)sd_bus_emit_properties_changed_strv(bus_.get(), machine.object_path().c_str(), kMachineInterface,
                                            names.data());
}

// systemd-machined, when installed (it is bus-activated), lists the guest
// (machinectl list). Its absence or a refusal changes nothing for vmmd.
void Manager::register_with_machined(Machine& machine) {
  machine.registered_pid = machine.main_pid();
  sd_bus_message* raw = nullptr;
  int r = sd_bus_message_new_method_call(bus_.get(), &raw, "org.freedesktop.machine1", "/org/freedesktop/machine1",
                                         "org.freedesktop.machine1.Manager", "RegisterMachine");
  MessagePtr call(raw);
  if (r >= 0) r = sd_bus_message_append(call.get(), "s", machine.name().c_str());
  if (r >= 0) r = sd_bus_message_append_array(call.get(), 'y', nullptr, 0);  // no id: machined makes none
  if (r >= 0) {
    r = sd_bus_message_append(call.get(), "ssus", machine.unit().c_str(), "vm", machine.main_pid(), "");
  }
  if (r < 0) return;
  std::string name = machine.name();
  auto log = log_;
  (void)call_async(bus_.get(), call.get(), [log, name](sd_bus_message*, const sd_bus_error* error) {
    if (error != nullptr && sd_bus_error_is_set(error)) {
      log->debug("{}: not registered with systemd-machined: {}", name, describe_bus_error(error));
    } else {
      log->info("{}: registered with systemd-machined", name);
    }
  });
}

void Manager::autostart_once_per_boot() {
  std::string marker = store_.runtime_dir() + "/" + kAutostartMarker;
  if (access(marker.c_str(), F_OK) == 0) return;
  (void)mkdir(store_.runtime_dir().c_str(), 0755);
  vmm::Fd created(open(marker.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
  if (!created) log_->warn("cannot create {}: autostart machines will start again when vmmd restarts", marker);
  for (auto& [name, machine] : machines_) {
    if (!machine->autostart()) continue;
    log_->info("{}: starting at boot (autostart)", name);
    std::string machine_name = name;
    units_.start(machine->unit(), [this, machine_name](vmm::Result<void> started) {
      if (!started) log_->error("{}: autostart failed: {}", machine_name, started.error().message());
      refresh(machine_name);
    });
  }
}

}  // namespace vmmd
