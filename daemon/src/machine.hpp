// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <string>

#include <vmm/vmm/machine_config.hpp>

#include "definition_store.hpp"
#include "guest_state.hpp"
#include "sd_handles.hpp"
#include "systemd_units.hpp"

namespace vmmd {

// One defined machine as vmmd knows it: its stored definition and what
// systemd and vmm last said about its unit.
class Machine {
 public:
  Machine(Definition definition, uint64_t now_usec);

  [[nodiscard]] const std::string& name() const { return definition_.name; }
  [[nodiscard]] const vmm::MachineConfig& config() const { return definition_.config; }
  [[nodiscard]] bool autostart() const { return definition_.autostart; }
  [[nodiscard]] const std::string& unit() const { return unit_; }
  [[nodiscard]] const std::string& object_path() const { return object_path_; }
  [[nodiscard]] GuestState state() const { return guest_state_from(unit_status_.active_state, paused_); }
  [[nodiscard]] uint32_t main_pid() const { return unit_status_.main_pid; }
  [[nodiscard]] uint64_t state_changed_usec() const { return state_changed_usec_; }

  void set_config(vmm::MachineConfig config) { definition_.config = std::move(config); }
  void set_autostart(bool enable) { definition_.autostart = enable; }

  // Each returns whether State changed (and then stamps the change time).
  bool update_unit(const UnitStatus& status, uint64_t now_usec);
  bool set_paused(bool paused, uint64_t now_usec);

  // An operation (start, stop, ...) is between its request and its end.
  bool busy = false;
  // RegisterMachine was sent to systemd-machined for the current MainPID.
  uint32_t registered_pid = 0;
  SlotPtr unit_watch;

 private:
  bool stamp_if_changed(GuestState before, uint64_t now_usec);

  Definition definition_;
  std::string unit_;
  std::string object_path_;
  UnitStatus unit_status_;
  bool paused_ = false;
  uint64_t state_changed_usec_;
};

// "/org/vmmkit/vmm1/machine/<name escaped by sd_bus_path_encode>".
std::string machine_object_path(const std::string& name);
inline constexpr const char* kMachinePathPrefix = "/org/vmmkit/vmm1/machine";

}  // namespace vmmd
