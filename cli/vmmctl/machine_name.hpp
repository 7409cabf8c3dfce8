// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <string_view>

#include <vmm/base/result.hpp>

namespace vmmctl {

// Checks a machine name as vmmd does ([A-Za-z0-9][A-Za-z0-9_.-]{0,63}), so a
// typo is a usage error (exit 2) before any bus call.
vmm::Result<void> check_machine_name(std::string_view name);

}  // namespace vmmctl
