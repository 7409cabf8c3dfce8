// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// /org/vmmkit/vmm1, interface org.vmmkit.vmm1.Manager
// (daemon/interfaces/org.vmmkit.vmm1.Manager.xml). Each handler reads and
// checks its arguments, then hands over to the Manager's verb, which
// replies (now or after polkit and systemd answered).
#include "bus_objects.hpp"
#include "daemon_error.hpp"
#include "machine_name.hpp"
#include "manager.hpp"

#ifndef VMMKIT_VERSION
#error "VMMKIT_VERSION must be defined by the build"
#endif

namespace vmmd {
namespace {

Manager& manager_of(void* userdata) { return *static_cast<Manager*>(userdata); }

// read_name's result as a handler's: a refused name was answered already,
// and returning 0 would make sd-bus answer again (UnknownMethod).
int handled(int r) { return r < 0 ? r : 1; }

// Reads the leading machine name: 1 when valid, 0 when it was refused
// (InvalidArgument sent), negative errno when the message is malformed.
int read_name(sd_bus_message* message, std::string& name) {
  const char* text = nullptr;
  int r = sd_bus_message_read(message, "s", &text);
  if (r < 0) return r;
  name = text;
  if (auto valid = check_machine_name(name); !valid) {
    MethodCall(message).reply_error(valid.error());
    return 0;
  }
  return 1;
}

// The handlers below return 1: the reply is sent by the verb (maybe later).
using NameVerb = void (Manager::*)(const MethodCall&, const std::string&);

template <NameVerb verb>
int name_method(sd_bus_message* message, void* userdata, sd_bus_error* /*error*/) {
  std::string name;
  int r = read_name(message, name);
  if (r <= 0) return handled(r);
  (manager_of(userdata).*verb)(MethodCall(message), name);
  return 1;
}

int method_list(sd_bus_message* message, void* userdata, sd_bus_error* /*error*/) {
  Manager& manager = manager_of(userdata);
  MethodCall(message).reply_with([&manager](sd_bus_message* reply) {
    int r = sd_bus_message_open_container(reply, 'a', "(ssutso)");
    for (const auto& [name, machine] : manager.machines()) {
      if (r < 0) break;
      r = sd_bus_message_append(reply, "(ssutso)", name.c_str(), std::string(to_string(machine->state())).c_str(),
                                machine->config().vcpu.num, machine->config().memory.size_mib,
                                machine->unit().c_str(), machine->object_path().c_str());
    }
    if (r >= 0) r = sd_bus_message_close_container(reply);
    return r;
  });
  return 1;
}

int method_get(sd_bus_message* message, void* userdata, sd_bus_error* /*error*/) {
  std::string name;
  int r = read_name(message, name);
  if (r <= 0) return handled(r);
  Machine* machine = manager_of(userdata).find(name);
  if (machine == nullptr) {
    MethodCall(message).reply_error(daemon_error(DaemonErrc::kNoSuchMachine, "no machine named \"" + name + "\""));
    return 1;
  }
  std::string path = machine->object_path();
  MethodCall(message).reply_with([&path](sd_bus_message* reply) { return sd_bus_message_append(reply, "o", path.c_str()); });
  return 1;
}

// CreateMachine and ReplaceMachineConfig: a name and a machine config (JSON).
template <void (Manager::*apply)(const MethodCall&, const std::string&, const std::string&)>
int method_with_config(sd_bus_message* message, void* userdata, sd_bus_error* /*error*/) {
  std::string name;
  int r = read_name(message, name);
  if (r <= 0) return handled(r);
  const char* config = nullptr;
  r = sd_bus_message_read(message, "s", &config);
  if (r < 0) return r;
  (manager_of(userdata).*apply)(MethodCall(message), name, config);
  return 1;
}

int method_stop(sd_bus_message* message, void* userdata, sd_bus_error* /*error*/) {
  std::string name;
  int r = read_name(message, name);
  if (r <= 0) return handled(r);
  uint32_t timeout = 0;
  r = sd_bus_message_read(message, "u", &timeout);
  if (r < 0) return r;
  manager_of(userdata).stop_machine(MethodCall(message), name, timeout);
  return 1;
}

template <bool pause>
int method_pause(sd_bus_message* message, void* userdata, sd_bus_error* /*error*/) {
  std::string name;
  int r = read_name(message, name);
  if (r <= 0) return handled(r);
  manager_of(userdata).pause_machine(MethodCall(message), name, pause);
  return 1;
}

int method_autostart(sd_bus_message* message, void* userdata, sd_bus_error* /*error*/) {
  std::string name;
  int r = read_name(message, name);
  if (r <= 0) return handled(r);
  int enable = 0;
  r = sd_bus_message_read(message, "b", &enable);
  if (r < 0) return r;
  manager_of(userdata).set_autostart(MethodCall(message), name, enable != 0);
  return 1;
}

int property_version(sd_bus* /*bus*/, const char* /*path*/, const char* /*interface*/, const char* /*property*/,
                     sd_bus_message* reply, void* /*userdata*/, sd_bus_error* /*error*/) {
  return sd_bus_message_append(reply, "s", VMMKIT_VERSION);
}

// Every member is callable by anyone as far as sd-bus is concerned
// (UNPRIVILEGED): the verbs decide through polkit.
constexpr uint64_t kOpen = SD_BUS_VTABLE_UNPRIVILEGED;

const sd_bus_vtable kManagerVtable[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_PROPERTY("Version", "s", property_version, 0, SD_BUS_VTABLE_PROPERTY_CONST),
    SD_BUS_METHOD_WITH_ARGS("ListMachines", SD_BUS_NO_ARGS, SD_BUS_RESULT("a(ssutso)", machines), method_list, kOpen),
    SD_BUS_METHOD_WITH_ARGS("GetMachine", SD_BUS_ARGS("s", name), SD_BUS_RESULT("o", machine), method_get, kOpen),
    SD_BUS_METHOD_WITH_ARGS("CreateMachine", SD_BUS_ARGS("s", name, "s", config), SD_BUS_RESULT("o", machine),
                            method_with_config<&Manager::create_machine>, kOpen),
    SD_BUS_METHOD_WITH_ARGS("StartMachine", SD_BUS_ARGS("s", name), SD_BUS_NO_RESULT,
                            name_method<&Manager::start_machine>, kOpen),
    SD_BUS_METHOD_WITH_ARGS("StopMachine", SD_BUS_ARGS("s", name, "u", timeout_sec), SD_BUS_NO_RESULT, method_stop,
                            kOpen),
    SD_BUS_METHOD_WITH_ARGS("KillMachine", SD_BUS_ARGS("s", name), SD_BUS_NO_RESULT,
                            name_method<&Manager::kill_machine>, kOpen),
    SD_BUS_METHOD_WITH_ARGS("RebootMachine", SD_BUS_ARGS("s", name), SD_BUS_NO_RESULT,
                            name_method<&Manager::reboot_machine>, kOpen),
    SD_BUS_METHOD_WITH_ARGS("PauseMachine", SD_BUS_ARGS("s", name), SD_BUS_NO_RESULT, method_pause<true>, kOpen),
    SD_BUS_METHOD_WITH_ARGS("ResumeMachine", SD_BUS_ARGS("s", name), SD_BUS_NO_RESULT, method_pause<false>, kOpen),
    SD_BUS_METHOD_WITH_ARGS("UndefineMachine", SD_BUS_ARGS("s", name), SD_BUS_NO_RESULT,
                            name_method<&Manager::undefine_machine>, kOpen),
    SD_BUS_METHOD_WITH_ARGS("SetMachineAutostart", SD_BUS_ARGS("s", name, "b", enable), SD_BUS_NO_RESULT,
                            method_autostart, kOpen),
    SD_BUS_METHOD_WITH_ARGS("GetMachineConfig", SD_BUS_ARGS("s", name), SD_BUS_RESULT("s", config),
                            name_method<&Manager::get_config>, kOpen),
    SD_BUS_METHOD_WITH_ARGS("ReplaceMachineConfig", SD_BUS_ARGS("s", name, "s", config), SD_BUS_NO_RESULT,
                            method_with_config<&Manager::replace_config>, kOpen),
    SD_BUS_METHOD_WITH_ARGS("OpenMachineConsole", SD_BUS_ARGS("s", name), SD_BUS_RESULT("h", console),
                            name_method<&Manager::open_console>, kOpen),
    SD_BUS_SIGNAL_WITH_ARGS("MachineAdded", SD_BUS_ARGS("s", name, "o", machine), 0),
    SD_BUS_SIGNAL_WITH_ARGS("MachineRemoved", SD_BUS_ARGS("s", name, "o", machine), 0),
    SD_BUS_SIGNAL_WITH_ARGS("MachineStateChanged", SD_BUS_ARGS("s", name, "o", machine, "s", state), 0),
    SD_BUS_VTABLE_END,
};

}  // namespace

vmm::Result<SlotPtr> add_manager_object(Manager& manager) {
  sd_bus_slot* slot = nullptr;
  int r = sd_bus_add_object_vtable(manager.bus(), &slot, kManagerPath, kManagerInterface, kManagerVtable, &manager);
  if (r < 0) return bus_errno_error(r, "registering /org/vmmkit/vmm1");
  return SlotPtr(slot);
}

}  // namespace vmmd
