// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/vmm/config_json.hpp>
#include <vmm/vmm/error.hpp>

#include "config_read_devices.hpp"
#include "object_reader.hpp"
#include "text_checks.hpp"

namespace vmm {
namespace {

using json::assign;
using json::ObjectReader;

// The deepest value is a token bucket: root -> "block" -> [i] -> "rate_limit"
// -> "bandwidth" is level 4, so 5 levels leave room for nothing deeper.
constexpr size_t kMaxDepth = 5;

// A function, not a constant: std::error_code has no constant initializer.
json::ErrorCodes config_codes() {
  return {
      .syntax = ConfigErrc::kSyntax,
      .unknown_key = ConfigErrc::kUnknownKey,
      .wrong_type = ConfigErrc::kWrongType,
      .missing_key = ConfigErrc::kMissingKey,
      .invalid_value = ConfigErrc::kInvalidValue,
  };
}

// A string naming one value of an enum; `choices` lists the names for the error.
template <typename Enum>
Result<void> read_enum(const ObjectReader& reader, std::string_view key,
                       std::optional<Enum> (*from_string)(std::string_view), const char* choices, Enum& out) {
  VMM_TRY_ASSIGN(auto text, reader.string(key));
  if (!text) return ok();
  auto value = from_string(*text);
  if (!value)
    return Error(ConfigErrc::kInvalidValue,
                 "\"" + reader.path_of(key) + "\" must be " + choices + ", got " + text::quoted(*text));
  out = *value;
  return ok();
}

Result<void> read_version(const ObjectReader& root) {
  VMM_TRY_ASSIGN(auto version, root.integer("version", 1, UINT64_MAX));
  if (!version || *version <= MachineConfig::kFormatVersion) return ok();
  return Error(ConfigErrc::kUnsupportedVersion, "\"version\" is " + std::to_string(*version) +
                                                    ", this vmm reads up to " +
                                                    std::to_string(MachineConfig::kFormatVersion));
}

Result<void> read_kernel(const ObjectReader& root, KernelConfig& kernel) {
  VMM_TRY_ASSIGN(auto reader, root.required_object("kernel"));
  VMM_TRY(reader.only_keys({"path", "boot", "cmdline", "initrd"}));
  VMM_TRY_ASSIGN(kernel.path, reader.required_string("path"));
  VMM_TRY(
      read_enum(reader, "boot", boot_protocol_from_string, "\"auto\", \"linux64\" or \"pvh\"", kernel.boot));
  VMM_TRY(assign(reader.string("cmdline"), kernel.cmdline));
  VMM_TRY_ASSIGN(kernel.initrd, reader.string("initrd"));
  return ok();
}

Result<void> read_memory(const ObjectReader& root, MemoryConfig& memory) {
  VMM_TRY_ASSIGN(auto reader, root.object("memory"));
  if (!reader) return ok();
  VMM_TRY(reader->only_keys({"size_mib", "hugepages"}));
  VMM_TRY(assign(reader->integer("size_mib", 1, kMaxMemoryMib), memory.size_mib));
  VMM_TRY(assign(reader->boolean("hugepages"), memory.hugepages));
  return ok();
}

Result<void> read_vcpu(const ObjectReader& root, VcpuConfig& vcpu) {
  VMM_TRY_ASSIGN(auto reader, root.object("vcpu"));
  if (!reader) return ok();
  VMM_TRY(reader->only_keys({"num"}));
  return assign(reader->integer("num", 1, kMaxVcpus), vcpu.num);
}

Result<void> read_console(const ObjectReader& root, ConsoleConfig& console) {
  VMM_TRY_ASSIGN(auto reader, root.object("console"));
  if (!reader) return ok();
  VMM_TRY(reader->only_keys({"mode", "path"}));
  VMM_TRY(read_enum(*reader, "mode", console_mode_from_string, "\"stdio\", \"socket\", \"file\" or \"none\"",
                    console.mode));
  VMM_TRY_ASSIGN(console.path, reader->string("path"));
  return ok();
}

Result<void> read_control(const ObjectReader& root, ControlConfig& control) {
  VMM_TRY_ASSIGN(auto reader, root.object("control"));
  if (!reader) return ok();
  VMM_TRY(reader->only_keys({"path"}));
  VMM_TRY_ASSIGN(control.path, reader->string("path"));
  return ok();
}

Result<MachineConfig> read_config(const ObjectReader& root) {
  VMM_TRY(root.only_keys({"version", "name", "uuid", "kernel", "memory", "vcpu", "console", "control",
                          "on_reboot", "shutdown_timeout_s", "acpi", "block", "net", "virtio_console", "rng",
                          "vsock"}));
  VMM_TRY(read_version(root));
  MachineConfig config;
  VMM_TRY(assign(root.string("name"), config.name));
  VMM_TRY_ASSIGN(config.uuid, root.string("uuid"));
  VMM_TRY(read_kernel(root, config.kernel));
  VMM_TRY(read_memory(root, config.memory));
  VMM_TRY(read_vcpu(root, config.vcpu));
  VMM_TRY(read_console(root, config.console));
  VMM_TRY(read_control(root, config.control));
  VMM_TRY(
      read_enum(root, "on_reboot", reboot_policy_from_string, "\"exit\" or \"restart\"", config.on_reboot));
  VMM_TRY(assign(root.integer("shutdown_timeout_s", 0, kMaxShutdownTimeoutS), config.shutdown_timeout_s));
  VMM_TRY(assign(root.boolean("acpi"), config.acpi));
  VMM_TRY(read_virtio_devices(root, config));
  return config;
}

}  // namespace

Result<MachineConfig> parse_machine_config(std::string_view text) {
  if (text.size() > kMaxMachineConfigBytes)
    return Error(ConfigErrc::kTooLarge, "machine config is " + std::to_string(text.size()) +
                                            " bytes, the limit is " + std::to_string(kMaxMachineConfigBytes));
  const json::ErrorCodes codes = config_codes();
  VMM_TRY_ASSIGN(auto document, json::parse_document(text, codes, kMaxDepth));
  VMM_TRY_ASSIGN(auto root, ObjectReader::open(document, "", codes));
  VMM_TRY_ASSIGN(auto config, read_config(root));
  VMM_TRY(validate(config));
  return config;
}

}  // namespace vmm
