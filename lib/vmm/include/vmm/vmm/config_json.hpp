// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <vmm/base/export.hpp>
#include <vmm/base/result.hpp>
#include <vmm/vmm/machine_config.hpp>

namespace vmm {

// The JSON form of MachineConfig (docs/machine-config.md). Strict: unknown
// keys, duplicate keys and wrong types are errors that name the key by its
// path ("vcpu.count"); syntax errors give line and column.

inline constexpr size_t kMaxMachineConfigBytes = size_t{1} << 20;

// Parses and validate()s a machine config document of at most
// kMaxMachineConfigBytes. Absent optional keys take the defaults of
// MachineConfig.
VMM_API Result<MachineConfig> parse_machine_config(std::string_view json);

// Serializes every field (defaults included, absent optionals omitted) with
// the current "version"; keys in a fixed order, no trailing newline.
// parse_machine_config(to_json(c)) == c for every valid c. Never fails: an
// invalid config (e.g. a path that is not UTF-8) is written best effort.
VMM_API std::string to_json(const MachineConfig& config, bool pretty = true);

// Reads and parses a config file; errors start with the path.
VMM_API Result<MachineConfig> load_machine_config_file(const std::string& path);

}  // namespace vmm
