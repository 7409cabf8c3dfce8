// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <nlohmann/json.hpp>

#include <vmm/vmm/config_json.hpp>

namespace vmm {
namespace {

// ordered_json keeps the keys in the order a reader of the file expects.
using OrderedJson = nlohmann::ordered_json;

OrderedJson kernel_json(const KernelConfig& kernel) {
  OrderedJson out = {{"path", kernel.path}, {"boot", to_string(kernel.boot)}, {"cmdline", kernel.cmdline}};
  if (kernel.initrd) out["initrd"] = *kernel.initrd;
  return out;
}

OrderedJson console_json(const ConsoleConfig& console) {
  OrderedJson out = {{"mode", to_string(console.mode)}};
  if (console.path) out["path"] = *console.path;
  return out;
}

OrderedJson control_json(const ControlConfig& control) {
  OrderedJson out = OrderedJson::object();
  if (control.path) out["path"] = *control.path;
  return out;
}

OrderedJson config_json(const MachineConfig& config) {
  OrderedJson out;
  out["version"] = MachineConfig::kFormatVersion;
  out["name"] = config.name;
  if (config.uuid) out["uuid"] = *config.uuid;
  out["kernel"] = kernel_json(config.kernel);
  out["memory"] = {{"size_mib", config.memory.size_mib}, {"hugepages", config.memory.hugepages}};
  out["vcpu"] = {{"num", config.vcpu.num}};
  out["console"] = console_json(config.console);
  out["control"] = control_json(config.control);
  out["on_reboot"] = to_string(config.on_reboot);
  out["shutdown_timeout_s"] = config.shutdown_timeout_s;
  out["acpi"] = config.acpi;
  return out;
}

}  // namespace

std::string to_json(const MachineConfig& config, bool pretty) {
  // `replace` turns bytes that are not UTF-8 into U+FFFD instead of throwing;
  // validate() rejects such configs, so valid ones round-trip exactly.
  return config_json(config).dump(pretty ? 2 : -1, ' ', false, OrderedJson::error_handler_t::replace);
}

}  // namespace vmm
