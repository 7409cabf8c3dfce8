// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include <spdlog/logger.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "bus_call.hpp"
#include "definition_store.hpp"
#include "machine.hpp"
#include "polkit_authority.hpp"
#include "sd_handles.hpp"
#include "systemd_units.hpp"
#include "unix_stream.hpp"

namespace vmmd {

inline constexpr const char* kBusName = "org.vmmkit.vmm1";
inline constexpr const char* kManagerPath = "/org/vmmkit/vmm1";
inline constexpr const char* kManagerInterface = "org.vmmkit.vmm1.Manager";
inline constexpr const char* kMachineInterface = "org.vmmkit.vmm1.Machine";
// More definitions than this are refused (each costs a match and an object).
inline constexpr size_t kMaxMachines = 4096;

// All of vmmd's state, as machined's Manager: the bus, the definitions, the
// machines and the helpers that talk to systemd and polkit. Method handlers
// (manager_object.cpp, machine_object.cpp) parse and validate, then call the
// verbs here, which authorize, act and reply.
class Manager {
 public:
  Manager(sd_event* event, BusPtr bus, DefinitionStore store, std::shared_ptr<spdlog::logger> log);
  Manager(const Manager&) = delete;
  Manager& operator=(const Manager&) = delete;
  ~Manager();

  // Registers the objects, loads the definitions (reporting corrupt ones),
  // follows the guests' units, takes the bus name and starts the autostart
  // machines once per boot.
  vmm::Result<void> start();

  [[nodiscard]] sd_bus* bus() const { return bus_.get(); }
  [[nodiscard]] spdlog::logger& log() const { return *log_; }
  Machine* find(const std::string& name);
  [[nodiscard]] const std::map<std::string, std::unique_ptr<Machine>>& machines() const { return machines_; }

  // The verbs. Each replies to call exactly once.
  void create_machine(const MethodCall& call, const std::string& name, const std::string& json);
  void start_machine(const MethodCall& call, const std::string& name);
  void stop_machine(const MethodCall& call, const std::string& name, uint32_t timeout_sec);
  void kill_machine(const MethodCall& call, const std::string& name);
  void reboot_machine(const MethodCall& call, const std::string& name);
  void pause_machine(const MethodCall& call, const std::string& name, bool pause);
  void undefine_machine(const MethodCall& call, const std::string& name);
  void set_autostart(const MethodCall& call, const std::string& name, bool enable);
  void get_config(const MethodCall& call, const std::string& name);
  void replace_config(const MethodCall& call, const std::string& name, const std::string& json);
  void open_console(const MethodCall& call, const std::string& name);

 private:
  // Runs act() once the caller is authorized for action and NAME still
  // exists; replies with the error otherwise.
  void authorized(const MethodCall& call, const std::string& name, const char* action,
                  std::function<void(Machine&)> act);
  Machine& add(Definition definition);
  void follow_unit(Machine& machine);
  void refresh(const std::string& name);
  void state_may_have_changed(Machine& machine, bool changed);
  void register_with_machined(Machine& machine);
  void autostart_once_per_boot();
  void emit_properties(const Machine& machine, std::initializer_list<const char*> properties);
  [[nodiscard]] uint64_t now_usec() const;
  // One request on the machine's control socket; a "false" answer is an
  // InvalidState error carrying vmm's message.
  vmm::Result<vmm::ControlResponse> control(const Machine& machine, vmm::ControlCommand command);

  sd_event* event_;
  BusPtr bus_;
  DefinitionStore store_;
  std::shared_ptr<spdlog::logger> log_;
  SystemdUnits units_;
  PolkitAuthority polkit_;
  std::map<std::string, std::unique_ptr<Machine>> machines_;
  SlotPtr manager_vtable_slot_;
  SlotPtr machine_vtable_slot_;
  SlotPtr machine_enumerator_slot_;
  std::map<std::string, EventSourcePtr> stop_timers_;  // machine name -> hard-stop timer
};

}  // namespace vmmd
