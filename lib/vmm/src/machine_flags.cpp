// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/vmm/machine_flags.hpp>

#include <vmm/base/size.hpp>
#include <vmm/vmm/error.hpp>

#include "field_checks.hpp"
#include "flag_parsing.hpp"
#include "text_checks.hpp"

namespace vmm {
namespace {

using flag::apply_items;
using flag::flag_error;
using flag::in_flag;
using flag::parse_decimal;
using flag::parse_switch;
using flag::unknown_key;

constexpr uint64_t kMiB = uint64_t{1} << 20;

// 512 and 512M are MiB, 2G is 2048 MiB; sizes that are not whole MiB are refused.
Result<uint64_t> parse_size_mib(std::string_view key, std::string_view text) {
  auto bytes = parse_size(text, kMiB);
  if (!bytes) return field::invalid_value(key, "is an " + bytes.error().context());
  if (*bytes % kMiB != 0)
    return field::invalid_value(key, "must be a whole number of MiB, got " + text::quoted(text));
  VMM_TRY(field::check_range(key, *bytes / kMiB, 1, kMaxMemoryMib));
  return *bytes / kMiB;
}

Result<void> apply_kernel_items(KernelConfig& kernel, const KeyValueList& items) {
  bool has_path = false;
  for (const auto& [key, value] : items) {
    if (key == "path") {
      VMM_TRY(field::check_path(key, value));
      kernel.path = value;
      has_path = true;
    } else if (key == "boot") {
      auto protocol = boot_protocol_from_string(value);
      if (!protocol)
        return field::invalid_value(key, "must be auto, linux64 or pvh, got " + text::quoted(value));
      kernel.boot = *protocol;
    } else if (key == "cmdline") {
      VMM_TRY(field::check_cmdline(key, value));
      kernel.cmdline = value;
    } else if (key == "initrd") {
      VMM_TRY(field::check_path(key, value));
      kernel.initrd = value;
    } else {
      return unknown_key(key);
    }
  }
  if (!has_path) return flag::missing_key("path");
  return ok();
}

Result<void> apply_memory_items(MemoryConfig& memory, const KeyValueList& items) {
  for (const auto& [key, value] : items) {
    if (key == "size_mib") {
      VMM_TRY_ASSIGN(memory.size_mib, parse_size_mib(key, value));
    } else if (key == "hugepages") {
      VMM_TRY_ASSIGN(memory.hugepages, parse_switch(key, value));
    } else {
      return unknown_key(key);
    }
  }
  return ok();
}

Result<void> apply_vcpu_items(VcpuConfig& vcpu, const KeyValueList& items) {
  for (const auto& [key, value] : items) {
    if (key != "num") return unknown_key(key);
    VMM_TRY_ASSIGN(auto num, parse_decimal(key, value));
    VMM_TRY(field::check_range(key, num, 1, kMaxVcpus));
    vcpu.num = static_cast<uint32_t>(num);
  }
  return ok();
}

Result<ConsoleConfig> parse_console(std::string_view value) {
  auto equals = value.find('=');
  std::string_view mode_text = value.substr(0, equals);
  auto mode = console_mode_from_string(mode_text);
  if (!mode)
    return Error(ConfigErrc::kInvalidOption,
                 "expected stdio, none, socket=PATH or file=PATH, got " + text::quoted(value));
  ConsoleConfig console{*mode, std::nullopt};
  bool needs_path = *mode == ConsoleMode::kSocket || *mode == ConsoleMode::kFile;
  if (needs_path != (equals != std::string_view::npos))
    return Error(ConfigErrc::kInvalidOption,
                 needs_path ? std::string(mode_text) + " needs a path: " + std::string(mode_text) + "=PATH"
                            : std::string(mode_text) + " takes no path");
  if (needs_path) console.path = std::string(value.substr(equals + 1));
  if (*mode == ConsoleMode::kSocket) VMM_TRY(field::check_socket_path("path", *console.path));
  if (*mode == ConsoleMode::kFile) VMM_TRY(field::check_path("path", *console.path));
  return console;
}

}  // namespace

Result<void> apply_kernel_flag(MachineConfig& config, std::string_view value) {
  return apply_items("--kernel", config.kernel, value, apply_kernel_items, {"cmdline"});
}

Result<void> apply_memory_flag(MachineConfig& config, std::string_view value) {
  return apply_items("--memory", config.memory, value, apply_memory_items);
}

Result<void> apply_vcpu_flag(MachineConfig& config, std::string_view value) {
  return apply_items("--vcpu", config.vcpu, value, apply_vcpu_items);
}

Result<void> apply_initrd_flag(MachineConfig& config, std::string_view path) {
  VMM_TRY(in_flag("--initrd", field::check_path("path", path)));
  config.kernel.initrd = std::string(path);
  return ok();
}

Result<void> apply_console_flag(MachineConfig& config, std::string_view value) {
  auto console = parse_console(value);
  if (!console) return flag_error("--console", console.error());
  config.console = std::move(*console);
  return ok();
}

Result<void> apply_on_reboot_flag(MachineConfig& config, std::string_view value) {
  auto policy = reboot_policy_from_string(value);
  if (!policy)
    return Error(ConfigErrc::kInvalidOption,
                 "--on-reboot: expected exit or restart, got " + text::quoted(value));
  config.on_reboot = *policy;
  return ok();
}

}  // namespace vmm
