// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "manager_client.hpp"

#include <fcntl.h>

#include "exit_status.hpp"

namespace vmmctl {
namespace {

constexpr const char* kService = "org.vmmkit.vmm1";
constexpr const char* kManagerPath = "/org/vmmkit/vmm1";
constexpr const char* kManagerInterface = "org.vmmkit.vmm1.Manager";
constexpr const char* kMachineInterface = "org.vmmkit.vmm1.Machine";
constexpr const char* kPropertiesInterface = "org.freedesktop.DBus.Properties";
constexpr uint64_t kUsecPerSec = 1'000'000;
// Margin on top of a stop timeout for vmmd to notice the stop and reply.
constexpr uint64_t kStopReplyMarginSec = 60;
// StopMachine with timeout 0 uses the machine's shutdown_timeout_s, at most a day.
constexpr uint64_t kLongestShutdownSec = 24 * 60 * 60;

std::string read_error_context(const char* member) { return std::string("reading the reply of ") + member; }

vmm::Result<std::string> read_single(sd_bus_message* reply, char type, const char* member) {
  const char* text = nullptr;
  const char signature[2] = {type, '\0'};
  int r = sd_bus_message_read(reply, signature, &text);
  if (r < 0) return reply_error(r, read_error_context(member));
  return std::string(text ? text : "");
}

// Reads one basic number of D-Bus type `type` (wire type Wire) into `value` as Shown.
template <typename Wire, typename Shown>
int read_number(sd_bus_message* message, char type, PropertyValue& value) {
  Wire v{};
  int r = sd_bus_message_read_basic(message, type, &v);
  value = static_cast<Shown>(v);
  return r;
}

vmm::Result<PropertyValue> read_variant(sd_bus_message* message) {
  char type = 0;
  const char* contents = nullptr;
  int r = sd_bus_message_peek_type(message, &type, &contents);
  if (r < 0) return reply_error(r, "reading a property");
  r = sd_bus_message_enter_container(message, SD_BUS_TYPE_VARIANT, contents);
  if (r < 0) return reply_error(r, "reading a property");
  PropertyValue value;
  char inner = contents && contents[1] == '\0' ? contents[0] : '\0';
  switch (inner) {
    case 's':
    case 'o':
    case 'g': {
      const char* text = nullptr;
      r = sd_bus_message_read_basic(message, inner, &text);
      value = std::string(text ? text : "");
      break;
    }
    case 'b': {
      int b = 0;
      r = sd_bus_message_read_basic(message, inner, &b);
      value = b != 0;
      break;
    }
    case 'y':
      r = read_number<uint8_t, uint64_t>(message, inner, value);
      break;
    case 'q':
      r = read_number<uint16_t, uint64_t>(message, inner, value);
      break;
    case 'u':
      r = read_number<uint32_t, uint64_t>(message, inner, value);
      break;
    case 't':
      r = read_number<uint64_t, uint64_t>(message, inner, value);
      break;
    case 'n':
      r = read_number<int16_t, int64_t>(message, inner, value);
      break;
    case 'i':
      r = read_number<int32_t, int64_t>(message, inner, value);
      break;
    case 'x':
      r = read_number<int64_t, int64_t>(message, inner, value);
      break;
    case 'd':
      r = read_number<double, double>(message, inner, value);
      break;
    default:
      // A type this version does not show (a newer daemon's property): skip it, shown as its signature.
      r = sd_bus_message_skip(message, contents);
      value = std::string("[") + (contents ? contents : "?") + "]";
      break;
  }
  if (r < 0) return reply_error(r, "reading a property");
  r = sd_bus_message_exit_container(message);
  if (r < 0) return reply_error(r, "reading a property");
  return value;
}

}  // namespace

vmm::Result<PropertyList> read_property_dict(sd_bus_message* message) {
  PropertyList properties;
  int r = sd_bus_message_enter_container(message, SD_BUS_TYPE_ARRAY, "{sv}");
  if (r < 0) return reply_error(r, "reading the properties");
  while ((r = sd_bus_message_enter_container(message, SD_BUS_TYPE_DICT_ENTRY, "sv")) > 0) {
    const char* name = nullptr;
    r = sd_bus_message_read_basic(message, 's', &name);
    if (r < 0) return reply_error(r, "reading the properties");
    VMM_TRY_ASSIGN(auto value, read_variant(message));
    properties.push_back({name, std::move(value)});
    r = sd_bus_message_exit_container(message);
    if (r < 0) return reply_error(r, "reading the properties");
  }
  if (r < 0) return reply_error(r, "reading the properties");
  r = sd_bus_message_exit_container(message);
  if (r < 0) return reply_error(r, "reading the properties");
  return properties;
}

vmm::Result<MessagePtr> ManagerClient::call(const char* member, const BusClient::Append& append,
                                            uint64_t timeout_usec) {
  return bus_.call(kService, kManagerPath, kManagerInterface, member, append, timeout_usec);
}

vmm::Result<void> ManagerClient::call_with_name(const char* member, const std::string& name,
                                                uint64_t timeout_usec) {
  VMM_TRY(call(
      member, [&](sd_bus_message* m) { return sd_bus_message_append(m, "s", name.c_str()); }, timeout_usec));
  return vmm::ok();
}

vmm::Result<std::vector<MachineSummary>> ManagerClient::list_machines() {
  VMM_TRY_ASSIGN(auto reply, call("ListMachines", nullptr));
  std::vector<MachineSummary> machines;
  int r = sd_bus_message_enter_container(reply.get(), SD_BUS_TYPE_ARRAY, "(ssutso)");
  if (r < 0) return reply_error(r, read_error_context("ListMachines"));
  for (;;) {
    const char *name = nullptr, *state = nullptr, *unit = nullptr, *path = nullptr;
    uint32_t vcpus = 0;
    uint64_t memory = 0;
    r = sd_bus_message_read(reply.get(), "(ssutso)", &name, &state, &vcpus, &memory, &unit, &path);
    if (r < 0) return reply_error(r, read_error_context("ListMachines"));
    if (r == 0) break;
    machines.push_back({name, state, vcpus, memory, unit, path});
  }
  return machines;
}

vmm::Result<std::string> ManagerClient::get_machine(const std::string& name) {
  VMM_TRY_ASSIGN(auto reply, call("GetMachine", [&](sd_bus_message* m) {
                   return sd_bus_message_append(m, "s", name.c_str());
                 }));
  return read_single(reply.get(), 'o', "GetMachine");
}

vmm::Result<std::string> ManagerClient::create_machine(const std::string& name,
                                                       const std::string& config_json) {
  VMM_TRY_ASSIGN(auto reply, call("CreateMachine", [&](sd_bus_message* m) {
                   return sd_bus_message_append(m, "ss", name.c_str(), config_json.c_str());
                 }));
  return read_single(reply.get(), 'o', "CreateMachine");
}

vmm::Result<void> ManagerClient::start_machine(const std::string& name) {
  return call_with_name("StartMachine", name);
}

vmm::Result<void> ManagerClient::stop_machine(const std::string& name, uint32_t timeout_sec) {
  uint64_t wait_sec = (timeout_sec == 0 ? kLongestShutdownSec : timeout_sec) + kStopReplyMarginSec;
  VMM_TRY(call(
      "StopMachine",
      [&](sd_bus_message* m) { return sd_bus_message_append(m, "su", name.c_str(), timeout_sec); },
      wait_sec * kUsecPerSec));
  return vmm::ok();
}

vmm::Result<void> ManagerClient::kill_machine(const std::string& name) {
  return call_with_name("KillMachine", name);
}
vmm::Result<void> ManagerClient::reboot_machine(const std::string& name) {
  return call_with_name("RebootMachine", name);
}
vmm::Result<void> ManagerClient::pause_machine(const std::string& name) {
  return call_with_name("PauseMachine", name);
}
vmm::Result<void> ManagerClient::resume_machine(const std::string& name) {
  return call_with_name("ResumeMachine", name);
}
vmm::Result<void> ManagerClient::undefine_machine(const std::string& name) {
  return call_with_name("UndefineMachine", name);
}

vmm::Result<void> ManagerClient::set_machine_autostart(const std::string& name, bool enable) {
  VMM_TRY(call("SetMachineAutostart", [&](sd_bus_message* m) {
    return sd_bus_message_append(m, "sb", name.c_str(), enable ? 1 : 0);
  }));
  return vmm::ok();
}

vmm::Result<std::string> ManagerClient::get_machine_config(const std::string& name) {
  VMM_TRY_ASSIGN(auto reply, call("GetMachineConfig", [&](sd_bus_message* m) {
                   return sd_bus_message_append(m, "s", name.c_str());
                 }));
  return read_single(reply.get(), 's', "GetMachineConfig");
}

vmm::Result<void> ManagerClient::replace_machine_config(const std::string& name,
                                                        const std::string& config_json) {
  VMM_TRY(call("ReplaceMachineConfig", [&](sd_bus_message* m) {
    return sd_bus_message_append(m, "ss", name.c_str(), config_json.c_str());
  }));
  return vmm::ok();
}

vmm::Result<vmm::Fd> ManagerClient::open_machine_console(const std::string& name) {
  VMM_TRY_ASSIGN(auto reply, call("OpenMachineConsole", [&](sd_bus_message* m) {
                   return sd_bus_message_append(m, "s", name.c_str());
                 }));
  int fd = -1;
  int r = sd_bus_message_read(reply.get(), "h", &fd);
  if (r < 0) return reply_error(r, read_error_context("OpenMachineConsole"));
  // The message owns its fd; keep a duplicate of our own.
  int own = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  if (own < 0) return vmm::Error::from_errno("duplicating the console fd");
  return vmm::Fd(own);
}

vmm::Result<PropertyList> ManagerClient::machine_properties(const std::string& name) {
  VMM_TRY_ASSIGN(auto path, get_machine(name));
  VMM_TRY_ASSIGN(auto reply,
                 bus_.call(kService, path.c_str(), kPropertiesInterface, "GetAll", [](sd_bus_message* m) {
                   return sd_bus_message_append(m, "s", kMachineInterface);
                 }));
  return read_property_dict(reply.get());
}

vmm::Result<std::string> ManagerClient::daemon_version() {
  VMM_TRY_ASSIGN(auto reply,
                 bus_.call(kService, kManagerPath, kPropertiesInterface, "Get", [](sd_bus_message* m) {
                   return sd_bus_message_append(m, "ss", kManagerInterface, "Version");
                 }));
  int r = sd_bus_message_enter_container(reply.get(), SD_BUS_TYPE_VARIANT, "s");
  if (r < 0) return reply_error(r, read_error_context("Get Version"));
  return read_single(reply.get(), 's', "Get Version");
}

}  // namespace vmmctl
