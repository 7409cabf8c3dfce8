// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <vmm/base/fd.hpp>
#include <vmm/base/result.hpp>

#include "bus_client.hpp"
#include "machine_info.hpp"

namespace vmmctl {

// The calls vmmctl makes to vmmd (org.vmmkit.vmm1, daemon/interfaces/*.xml),
// one function per method, with the reply decoded.
class ManagerClient {
 public:
  explicit ManagerClient(BusClient& bus) : bus_(bus) {}

  vmm::Result<std::vector<MachineSummary>> list_machines();
  vmm::Result<std::string> get_machine(const std::string& name);
  vmm::Result<std::string> create_machine(const std::string& name, const std::string& config_json);
  vmm::Result<void> start_machine(const std::string& name);
  // Waits for the machine to stop: the call's own timeout is the stop timeout plus a margin.
  vmm::Result<void> stop_machine(const std::string& name, uint32_t timeout_sec);
  vmm::Result<void> kill_machine(const std::string& name);
  vmm::Result<void> reboot_machine(const std::string& name);
  vmm::Result<void> pause_machine(const std::string& name);
  vmm::Result<void> resume_machine(const std::string& name);
  vmm::Result<void> undefine_machine(const std::string& name);
  vmm::Result<void> set_machine_autostart(const std::string& name, bool enable);
  vmm::Result<std::string> get_machine_config(const std::string& name);
  vmm::Result<void> replace_machine_config(const std::string& name, const std::string& config_json);
  vmm::Result<vmm::Fd> open_machine_console(const std::string& name);
  // Every property of the machine's object (org.freedesktop.DBus.Properties.GetAll).
  vmm::Result<PropertyList> machine_properties(const std::string& name);
  // The Manager's Version property.
  vmm::Result<std::string> daemon_version();

 private:
  vmm::Result<void> call_with_name(const char* member, const std::string& name, uint64_t timeout_usec = 0);
  vmm::Result<MessagePtr> call(const char* member, const BusClient::Append& append,
                               uint64_t timeout_usec = 0);
  BusClient& bus_;
};

// Reads a{sv} as GetAll returns it (exposed for tests).
vmm::Result<PropertyList> read_property_dict(sd_bus_message* message);

}  // namespace vmmctl
