// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <vmm/base/result.hpp>

namespace vmmctl {

// What `vmmctl create NAME ...` was given.
struct CreateOptions {
  std::string name;
  std::optional<std::string> kernel;
  std::optional<std::string> initrd;
  std::optional<std::string> cmdline;
  std::optional<std::string> memory;  // "512M", "2G", or a bare number of MiB
  std::optional<uint32_t> vcpus;
  std::vector<std::string> disks;  // "PATH[,ro]"
  std::vector<std::string> nets;   // "tap=NAME[,mac=MAC]"
  bool rng = false;
  std::optional<uint64_t> vsock_cid;
};

// Where create's defaults come from.
struct CreateDefaults {
  std::string bundled_guest;   // <datadir>/vmmkit/guest/vmmkit-guest
  std::string guest_cmdline;   // "console=ttyS0 vmmkit.serve"
  std::string kernel_cmdline;  // with --kernel and no --cmdline: "console=ttyS0"
  std::string runtime_dir;     // vmmd's runtime directory, /run/vmmkit (vsock sockets go under it)
  // Relative paths are made absolute against this directory; empty (a remote
  // host, whose files are not ours) refuses them.
  std::string working_dir;
};

// The machine config JSON (docs/machine-config.md) for `create`, built as a
// vmm::MachineConfig and validated exactly as vmm and vmmd will; every
// error is a usage error naming the option.
vmm::Result<std::string> build_create_config(const CreateOptions& options, const CreateDefaults& defaults);

// The vsock socket path vmmctl puts in a config: RUNTIME_DIR/NAME/vsock,
// beside the console and control sockets vmmd creates there.
std::string vsock_socket_path(const std::string& runtime_dir, const std::string& name);

}  // namespace vmmctl
