// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <vmm/base/result.hpp>
#include <vmm/vmm/machine_config.hpp>

#include "object_reader.hpp"

namespace vmm {

// Reads the virtio device keys of the root object ("block", "net",
// "virtio_console", "rng", "vsock") into `config`; absent keys keep the
// defaults. Ranges a JSON reader can check are checked here; the rest is
// left to validate().
Result<void> read_virtio_devices(const json::ObjectReader& root, MachineConfig& config);

}  // namespace vmm
