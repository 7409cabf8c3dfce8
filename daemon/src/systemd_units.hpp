// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>

#include <systemd/sd-bus.h>
#include <vmm/base/result.hpp>

#include "sd_handles.hpp"

namespace vmmd {

// What vmmd follows of a guest's unit.
struct UnitStatus {
  std::string active_state = "inactive";  // systemd's ActiveState
  uint32_t main_pid = 0;
};

// Guests' units through systemd's D-Bus API (org.freedesktop.systemd1,
// org.freedesktop.systemd1(5)). Start, stop and restart enqueue jobs; their
// callbacks run when systemd reports the job finished (JobRemoved), so a
// caller learns whether the unit really started or stopped.
class SystemdUnits {
 public:
  explicit SystemdUnits(sd_bus* bus) : bus_(bus) {}
  SystemdUnits(const SystemdUnits&) = delete;
  SystemdUnits& operator=(const SystemdUnits&) = delete;

  // Subscribe() (so systemd sends unit signals) and the JobRemoved match.
  vmm::Result<void> subscribe();

  using Done = std::function<void(vmm::Result<void>)>;
  void start(const std::string& unit, Done done) { enqueue("StartUnit", unit, std::move(done)); }
  void stop(const std::string& unit, Done done) { enqueue("StopUnit", unit, std::move(done)); }
  void restart(const std::string& unit, Done done) { enqueue("RestartUnit", unit, std::move(done)); }
  // KillUnit(unit, "all", signal): done when systemd has sent the signal.
  void kill(const std::string& unit, int signal, Done done);

  // Reads ActiveState and MainPID; a unit systemd cannot find is inactive.
  void read_status(const std::string& unit, std::function<void(UnitStatus)> done);

  // Calls changed() on every PropertiesChanged of the unit's object.
  vmm::Result<SlotPtr> watch(const std::string& unit, std::function<void()> changed);

  static std::string object_path(const std::string& unit);

 private:
  void enqueue(const char* method, const std::string& unit, Done done);
  void job_finished(const std::string& job, const std::string& unit, const std::string& result);
  static int on_job_removed(sd_bus_message* message, void* userdata, sd_bus_error* error);

  sd_bus* bus_;
  SlotPtr job_removed_slot_;
  std::map<std::string, std::pair<std::string, Done>> jobs_;  // job path -> (unit, done)
  // JobRemoved can overtake the reply to StartUnit; remember a few results.
  std::deque<std::pair<std::string, std::string>> early_results_;  // (job, result)
};

}  // namespace vmmd
