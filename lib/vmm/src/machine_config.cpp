// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/vmm/machine_config.hpp>

#include <array>
#include <utility>

#include <vmm/vmm/error.hpp>

#include "device_checks.hpp"
#include "field_checks.hpp"

namespace vmm {
namespace {

constexpr std::array<std::pair<ConsoleMode, std::string_view>, 4> kConsoleModes{{
    {ConsoleMode::kStdio, "stdio"},
    {ConsoleMode::kSocket, "socket"},
    {ConsoleMode::kFile, "file"},
    {ConsoleMode::kNone, "none"},
}};

constexpr std::array<std::pair<BootProtocol, std::string_view>, 3> kBootProtocols{{
    {BootProtocol::kAuto, "auto"},
    {BootProtocol::kLinux64, "linux64"},
    {BootProtocol::kPvh, "pvh"},
}};

constexpr std::array<std::pair<RebootPolicy, std::string_view>, 2> kRebootPolicies{{
    {RebootPolicy::kExit, "exit"},
    {RebootPolicy::kRestart, "restart"},
}};

// Enum values cast from integers (a caller's bug or a corrupt struct) are not in the tables.
template <typename Enum, size_t N>
bool is_listed(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
  for (const auto& entry : table)
    if (entry.first == value) return true;
  return false;
}

template <typename Enum, size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
  for (const auto& [entry, name] : table)
    if (entry == value) return name;
  return "invalid";
}

template <typename Enum, size_t N>
std::optional<Enum> value_of(const std::array<std::pair<Enum, std::string_view>, N>& table,
                             std::string_view text) {
  for (const auto& [entry, name] : table)
    if (name == text) return entry;
  return std::nullopt;
}

Result<void> validate_kernel(const KernelConfig& kernel) {
  VMM_TRY(field::check_path("kernel.path", kernel.path));
  if (!is_listed(kBootProtocols, kernel.boot))
    return field::invalid_value("kernel.boot", "must be \"auto\", \"linux64\" or \"pvh\"");
  VMM_TRY(field::check_cmdline("kernel.cmdline", kernel.cmdline));
  if (kernel.initrd) VMM_TRY(field::check_path("kernel.initrd", *kernel.initrd));
  return ok();
}

Result<void> validate_console(const ConsoleConfig& console) {
  if (!is_listed(kConsoleModes, console.mode))
    return field::invalid_value("console.mode", "must be \"stdio\", \"socket\", \"file\" or \"none\"");
  bool needs_path = console.mode == ConsoleMode::kSocket || console.mode == ConsoleMode::kFile;
  std::string mode(to_string(console.mode));
  if (needs_path && !console.path)
    return Error(ConfigErrc::kMissingKey, "\"console.path\" is required with console mode \"" + mode + "\"");
  if (!needs_path && console.path)
    return field::invalid_value("console.path", "is only allowed with console mode \"socket\" or \"file\"");
  if (console.mode == ConsoleMode::kSocket) return field::check_socket_path("console.path", *console.path);
  if (console.mode == ConsoleMode::kFile) return field::check_path("console.path", *console.path);
  return ok();
}

std::string indexed(std::string_view array, size_t index) {
  return std::string(array) + "[" + std::to_string(index) + "]";
}

// Two disks on one image would corrupt it (each has its own view of the file).
Result<void> validate_block(const std::vector<BlockConfig>& disks) {
  for (size_t i = 0; i < disks.size(); ++i) {
    const BlockConfig& disk = disks[i];
    std::string key = indexed("block", i);
    VMM_TRY(field::check_path(key + ".path", disk.path));
    if (disk.id) VMM_TRY(field::check_block_id(key + ".id", *disk.id));
    if (disk.rate_limit) VMM_TRY(field::check_rate_limit(key + ".rate_limit", *disk.rate_limit));
    for (size_t j = 0; j < i; ++j)
      if (disks[j].path == disk.path)
        return field::invalid_value(key + ".path", "is the same file as " + indexed("block", j) + ".path");
  }
  return ok();
}

// One tap carries one interface's frames; two interfaces with one MAC confuse every switch.
Result<void> validate_net(const std::vector<NetConfig>& nets) {
  for (size_t i = 0; i < nets.size(); ++i) {
    const NetConfig& net = nets[i];
    std::string key = indexed("net", i);
    VMM_TRY(field::check_tap_name(key + ".tap", net.tap));
    if (net.mac) VMM_TRY(field::check_mac(key + ".mac", *net.mac));
    if (net.rate_limit) VMM_TRY(field::check_rate_limit(key + ".rate_limit", *net.rate_limit));
    for (size_t j = 0; j < i; ++j) {
      if (nets[j].tap == net.tap)
        return field::invalid_value(key + ".tap", "is the same interface as " + indexed("net", j) + ".tap");
      if (net.mac && nets[j].mac && parse_mac(*nets[j].mac) == parse_mac(*net.mac))
        return field::invalid_value(key + ".mac", "is the same address as " + indexed("net", j) + ".mac");
    }
  }
  return ok();
}

// The count comes first: it also bounds the pairwise checks above.
Result<void> validate_virtio_devices(const MachineConfig& config) {
  size_t count = field::virtio_device_count(config);
  if (count > kMaxVirtioDevices)
    return Error(ConfigErrc::kInvalidValue,
                 "\"block\", \"net\", \"virtio_console\", \"rng\" and \"vsock\" ask for " +
                     std::to_string(count) + " virtio devices, more than the limit of " +
                     std::to_string(kMaxVirtioDevices));
  VMM_TRY(validate_block(config.block));
  VMM_TRY(validate_net(config.net));
  if (config.vsock) {
    VMM_TRY(field::check_vsock_cid("vsock.cid", config.vsock->cid));
    VMM_TRY(field::check_vsock_uds("vsock.uds", config.vsock->uds));
  }
  return ok();
}

}  // namespace

std::string_view to_string(ConsoleMode mode) { return name_of(kConsoleModes, mode); }
std::string_view to_string(RebootPolicy policy) { return name_of(kRebootPolicies, policy); }
std::string_view to_string(BootProtocol protocol) { return name_of(kBootProtocols, protocol); }

std::optional<ConsoleMode> console_mode_from_string(std::string_view text) {
  return value_of(kConsoleModes, text);
}

std::optional<RebootPolicy> reboot_policy_from_string(std::string_view text) {
  return value_of(kRebootPolicies, text);
}

std::optional<BootProtocol> boot_protocol_from_string(std::string_view text) {
  return value_of(kBootProtocols, text);
}

Result<void> validate(const MachineConfig& config) {
  VMM_TRY(field::check_name("name", config.name));
  if (config.uuid) VMM_TRY(field::check_uuid("uuid", *config.uuid));
  VMM_TRY(validate_kernel(config.kernel));
  VMM_TRY(field::check_range("memory.size_mib", config.memory.size_mib, 1, kMaxMemoryMib));
  VMM_TRY(field::check_range("vcpu.num", config.vcpu.num, 1, kMaxVcpus));
  VMM_TRY(validate_console(config.console));
  if (config.control.path) VMM_TRY(field::check_socket_path("control.path", *config.control.path));
  if (!is_listed(kRebootPolicies, config.on_reboot))
    return field::invalid_value("on_reboot", "must be \"exit\" or \"restart\"");
  VMM_TRY(field::check_range("shutdown_timeout_s", config.shutdown_timeout_s, 0, kMaxShutdownTimeoutS));
  return validate_virtio_devices(config);
}

}  // namespace vmm
