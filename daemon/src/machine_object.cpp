// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// org.vmmkit.vmm1.Machine on /org/vmmkit/vmm1/machine/NAME
// (daemon/interfaces/org.vmmkit.vmm1.Machine.xml): the Manager's verbs for
// the machine named by the object path, and its properties.
#include <cstdlib>
#include <cstring>

#include "bus_objects.hpp"
#include "daemon_error.hpp"
#include "manager.hpp"

namespace vmmd {
namespace {

Manager& manager_of(void* userdata) { return *static_cast<Manager*>(userdata); }

// The machine name encoded in an object path, "" if it is not one of ours.
std::string name_from_path(const char* path) {
  char* name = nullptr;
  if (path == nullptr || sd_bus_path_decode(path, kMachinePathPrefix, &name) <= 0) return {};
  std::string result = name;
  free(name);  // NOLINT: allocated by sd_bus_path_decode
  return result;
}

std::string name_of(sd_bus_message* message) { return name_from_path(sd_bus_message_get_path(message)); }

int find_machine(sd_bus* /*bus*/, const char* path, const char* /*interface*/, void* userdata, void** found,
                 sd_bus_error* /*error*/) {
  if (manager_of(userdata).find(name_from_path(path)) == nullptr) return 0;
  *found = userdata;  // handlers get the Manager and read the name from the path
  return 1;
}

int enumerate_machines(sd_bus* /*bus*/, const char* /*prefix*/, void* userdata, char*** nodes,
                       sd_bus_error* /*error*/) {
  const auto& machines = manager_of(userdata).machines();
  auto** list = static_cast<char**>(calloc(machines.size() + 1, sizeof(char*)));  // NOLINT: sd-bus frees it
  if (list == nullptr) return -ENOMEM;
  size_t i = 0;
  for (const auto& [name, machine] : machines) {
    list[i] = strdup(machine->object_path().c_str());
    if (list[i] == nullptr) {
      for (size_t j = 0; j < i; ++j) free(list[j]);  // NOLINT
      free(list);                                     // NOLINT
      return -ENOMEM;
    }
    ++i;
  }
  *nodes = list;
  return 1;
}

using NameVerb = void (Manager::*)(const MethodCall&, const std::string&);

template <NameVerb verb>
int machine_method(sd_bus_message* message, void* userdata, sd_bus_error* /*error*/) {
  (manager_of(userdata).*verb)(MethodCall(message), name_of(message));
  return 1;
}

int method_stop(sd_bus_message* message, void* userdata, sd_bus_error* /*error*/) {
  uint32_t timeout = 0;
  int r = sd_bus_message_read(message, "u", &timeout);
  if (r < 0) return r;
  manager_of(userdata).stop_machine(MethodCall(message), name_of(message), timeout);
  return 1;
}

template <bool pause>
int method_pause(sd_bus_message* message, void* userdata, sd_bus_error* /*error*/) {
  manager_of(userdata).pause_machine(MethodCall(message), name_of(message), pause);
  return 1;
}

int method_autostart(sd_bus_message* message, void* userdata, sd_bus_error* /*error*/) {
  int enable = 0;
  int r = sd_bus_message_read(message, "b", &enable);
  if (r < 0) return r;
  manager_of(userdata).set_autostart(MethodCall(message), name_of(message), enable != 0);
  return 1;
}

int method_replace_config(sd_bus_message* message, void* userdata, sd_bus_error* /*error*/) {
  const char* config = nullptr;
  int r = sd_bus_message_read(message, "s", &config);
  if (r < 0) return r;
  manager_of(userdata).replace_config(MethodCall(message), name_of(message), config);
  return 1;
}

// One getter for every property: the machine from the path, the value by
// the property's name.
int get_property(sd_bus* /*bus*/, const char* path, const char* /*interface*/, const char* property,
                 sd_bus_message* reply, void* userdata, sd_bus_error* error) {
  const Machine* machine = manager_of(userdata).find(name_from_path(path));
  if (machine == nullptr) return sd_bus_error_set(error, "org.vmmkit.vmm1.Error.NoSuchMachine", "machine is gone");
  const vmm::MachineConfig& config = machine->config();
  std::string_view p = property;
  if (p == "Name") return sd_bus_message_append(reply, "s", machine->name().c_str());
  if (p == "UUID") return sd_bus_message_append(reply, "s", config.uuid.value_or("").c_str());
  if (p == "State") return sd_bus_message_append(reply, "s", std::string(to_string(machine->state())).c_str());
  if (p == "VCPUs") return sd_bus_message_append(reply, "u", config.vcpu.num);
  if (p == "MemoryMiB") return sd_bus_message_append(reply, "t", config.memory.size_mib);
  if (p == "Kernel") return sd_bus_message_append(reply, "s", config.kernel.path.c_str());
  if (p == "Autostart") return sd_bus_message_append(reply, "b", static_cast<int>(machine->autostart()));
  if (p == "Unit") return sd_bus_message_append(reply, "s", machine->unit().c_str());
  if (p == "MainPID") return sd_bus_message_append(reply, "u", machine->main_pid());
  if (p == "StateChangeTimestamp") return sd_bus_message_append(reply, "t", machine->state_changed_usec());
  if (p == "ConsoleSocket") return sd_bus_message_append(reply, "s", config.console.path.value_or("").c_str());
  if (p == "ControlSocket") return sd_bus_message_append(reply, "s", config.control.path.value_or("").c_str());
  return -ENOENT;
}

constexpr uint64_t kOpen = SD_BUS_VTABLE_UNPRIVILEGED;
constexpr uint64_t kChanges = SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE;
constexpr uint64_t kConst = SD_BUS_VTABLE_PROPERTY_CONST;

const sd_bus_vtable kMachineVtable[] = {
    SD_BUS_VTABLE_START(0),
    SD_BUS_METHOD("Start", "", "", machine_method<&Manager::start_machine>, kOpen),
    SD_BUS_METHOD_WITH_ARGS("Stop", SD_BUS_ARGS("u", timeout_sec), SD_BUS_NO_RESULT, method_stop, kOpen),
    SD_BUS_METHOD("Kill", "", "", machine_method<&Manager::kill_machine>, kOpen),
    SD_BUS_METHOD("Reboot", "", "", machine_method<&Manager::reboot_machine>, kOpen),
    SD_BUS_METHOD("Pause", "", "", method_pause<true>, kOpen),
    SD_BUS_METHOD("Resume", "", "", method_pause<false>, kOpen),
    SD_BUS_METHOD("Undefine", "", "", machine_method<&Manager::undefine_machine>, kOpen),
    SD_BUS_METHOD_WITH_ARGS("SetAutostart", SD_BUS_ARGS("b", enable), SD_BUS_NO_RESULT, method_autostart, kOpen),
    SD_BUS_METHOD_WITH_ARGS("GetConfig", SD_BUS_NO_ARGS, SD_BUS_RESULT("s", config),
                            machine_method<&Manager::get_config>, kOpen),
    SD_BUS_METHOD_WITH_ARGS("ReplaceConfig", SD_BUS_ARGS("s", config), SD_BUS_NO_RESULT, method_replace_config, kOpen),
    SD_BUS_METHOD_WITH_ARGS("OpenConsole", SD_BUS_NO_ARGS, SD_BUS_RESULT("h", console),
                            machine_method<&Manager::open_console>, kOpen),
    SD_BUS_PROPERTY("Name", "s", get_property, 0, kConst),
    SD_BUS_PROPERTY("UUID", "s", get_property, 0, kConst),
    SD_BUS_PROPERTY("State", "s", get_property, 0, kChanges),
    SD_BUS_PROPERTY("VCPUs", "u", get_property, 0, kChanges),
    SD_BUS_PROPERTY("MemoryMiB", "t", get_property, 0, kChanges),
    SD_BUS_PROPERTY("Kernel", "s", get_property, 0, kChanges),
    SD_BUS_PROPERTY("Autostart", "b", get_property, 0, kChanges),
    SD_BUS_PROPERTY("Unit", "s", get_property, 0, kChanges),
    SD_BUS_PROPERTY("MainPID", "u", get_property, 0, kChanges),
    SD_BUS_PROPERTY("StateChangeTimestamp", "t", get_property, 0, kChanges),
    SD_BUS_PROPERTY("ConsoleSocket", "s", get_property, 0, kChanges),
    SD_BUS_PROPERTY("ControlSocket", "s", get_property, 0, kChanges),
    SD_BUS_VTABLE_END,
};

}  // namespace

vmm::Result<MachineObjectSlots> add_machine_objects(Manager& manager) {
  MachineObjectSlots slots;
  sd_bus_slot* slot = nullptr;
  int r = sd_bus_add_fallback_vtable(manager.bus(), &slot, kMachinePathPrefix, kMachineInterface, kMachineVtable,
                                     find_machine, &manager);
  if (r < 0) return bus_errno_error(r, "registering the machine objects");
  slots.vtable.reset(slot);
  r = sd_bus_add_node_enumerator(manager.bus(), &slot, kMachinePathPrefix, enumerate_machines, &manager);
  if (r < 0) return bus_errno_error(r, "registering the machine enumerator");
  slots.enumerator.reset(slot);
  return slots;
}

}  // namespace vmmd
