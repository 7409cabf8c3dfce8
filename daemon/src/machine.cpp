// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "machine.hpp"

#include <cstdlib>

#include <systemd/sd-bus.h>

#include "machine_name.hpp"

namespace vmmd {

std::string machine_object_path(const std::string& name) {
  char* path = nullptr;
  if (sd_bus_path_encode(kMachinePathPrefix, name.c_str(), &path) < 0) return {};
  std::string result = path;
  free(path);  // NOLINT: allocated by sd_bus_path_encode
  return result;
}

Machine::Machine(Definition definition, uint64_t now_usec)
    : definition_(std::move(definition)),
      unit_(unit_name_for(definition_.name)),
      object_path_(machine_object_path(definition_.name)),
      state_changed_usec_(now_usec) {}

bool Machine::stamp_if_changed(GuestState before, uint64_t now_usec) {
  if (state() == before) return false;
  state_changed_usec_ = now_usec;
  return true;
}

bool Machine::update_unit(const UnitStatus& status, uint64_t now_usec) {
  GuestState before = state();
  // A new vmm process (or none) starts unpaused.
  if (status.main_pid != unit_status_.main_pid) paused_ = false;
  unit_status_ = status;
  if (!is_active(state())) paused_ = false;
  return stamp_if_changed(before, now_usec);
}

bool Machine::set_paused(bool paused, uint64_t now_usec) {
  GuestState before = state();
  paused_ = paused;
  return stamp_if_changed(before, now_usec);
}

}  // namespace vmmd
