// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "create_config.hpp"

#include <filesystem>

#include <vmm/base/size.hpp>
#include <vmm/vmm/config_json.hpp>
#include <vmm/vmm/machine_config.hpp>
#include <vmm/vmm/machine_flags.hpp>

#include "exit_status.hpp"
#include "machine_name.hpp"

namespace vmmctl {
namespace {

vmm::Error usage(const std::string& text) { return vmm::Error(Failure::kUsage, text); }

vmm::Result<std::string> host_path(const char* option, const std::string& path,
                                   const CreateDefaults& defaults) {
  if (path.empty()) return usage(std::string(option) + ": empty path");
  std::filesystem::path p(path);
  if (p.is_absolute()) return p.lexically_normal().string();
  if (defaults.working_dir.empty())
    return usage(std::string(option) + ": \"" + path + "\" must be an absolute path on the remote host");
  return (std::filesystem::path(defaults.working_dir) / p).lexically_normal().string();
}

vmm::Result<void> add_disk(vmm::MachineConfig& config, const std::string& spec,
                           const CreateDefaults& defaults) {
  vmm::BlockConfig disk;
  std::string path = spec;
  if (path.size() > 3 && path.ends_with(",ro")) {
    disk.read_only = true;
    path.resize(path.size() - 3);
  }
  VMM_TRY_ASSIGN(disk.path, host_path("--disk", path, defaults));
  config.block.push_back(std::move(disk));
  return vmm::ok();
}

// The same size syntax as `vmm --memory size_mib=...` (vmm::parse_size; a bare number is MiB).
vmm::Result<uint64_t> memory_mib(const std::string& text) {
  constexpr uint64_t kMiB = uint64_t{1} << 20;
  auto bytes = vmm::parse_size(text, kMiB);
  if (!bytes) return usage("--memory: " + bytes.error().context());
  if (*bytes % kMiB != 0) return usage("--memory: \"" + text + "\" is not a whole number of MiB");
  if (*bytes == 0 || *bytes / kMiB > vmm::kMaxMemoryMib)
    return usage("--memory: \"" + text + "\" is out of range (1M to 16T)");
  return *bytes / kMiB;
}

// Wraps lib/vmm's flag errors (ConfigErrc) as usage errors with their text.
vmm::Result<void> as_usage(vmm::Result<void> result) {
  if (!result) return usage(result.error().context());
  return vmm::ok();
}

}  // namespace

std::string vsock_socket_path(const std::string& runtime_dir, const std::string& name) {
  return runtime_dir + "/" + name + "/vsock";
}

vmm::Result<std::string> build_create_config(const CreateOptions& options, const CreateDefaults& defaults) {
  VMM_TRY(check_machine_name(options.name));
  vmm::MachineConfig config;
  config.name = options.name;
  if (options.kernel) {
    VMM_TRY_ASSIGN(config.kernel.path, host_path("--kernel", *options.kernel, defaults));
    config.kernel.cmdline = options.cmdline.value_or(defaults.kernel_cmdline);
  } else {
    config.kernel.path = defaults.bundled_guest;
    config.kernel.cmdline = options.cmdline.value_or(defaults.guest_cmdline);
  }
  if (options.initrd) {
    VMM_TRY_ASSIGN(auto initrd, host_path("--initrd", *options.initrd, defaults));
    config.kernel.initrd = std::move(initrd);
  }
  if (options.memory) {
    // The same parser as `vmm --memory size_mib=...`; no key=value smuggling through it.
    VMM_TRY_ASSIGN(config.memory.size_mib, memory_mib(*options.memory));
  }
  if (options.vcpus) config.vcpu.num = *options.vcpus;
  for (const auto& disk : options.disks) VMM_TRY(add_disk(config, disk, defaults));
  for (const auto& net : options.nets) {
    if (!net.starts_with("tap=")) return usage("--net: expected tap=NAME[,mac=MAC], got \"" + net + "\"");
    VMM_TRY(as_usage(vmm::apply_net_flag(config, net)));
  }
  config.rng = options.rng;
  if (options.vsock_cid)
    config.vsock =
        vmm::VsockConfig{*options.vsock_cid, vsock_socket_path(defaults.runtime_dir, options.name)};
  if (auto valid = vmm::validate(config); !valid) return usage(valid.error().context());
  return vmm::to_json(config, true);
}

}  // namespace vmmctl
