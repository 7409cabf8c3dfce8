// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <string>

#include <vmm/base/result.hpp>

namespace vmmctl {

// Reads a machine config file of at most vmm::kMaxMachineConfigBytes ("-"
// is stdin); a larger file is refused rather than cut.
vmm::Result<std::string> read_config_file(const std::string& path);

// Reads everything from `fd` up to `limit` bytes; more is an error naming `what`.
vmm::Result<std::string> read_bounded(int fd, size_t limit, const std::string& what);

}  // namespace vmmctl
