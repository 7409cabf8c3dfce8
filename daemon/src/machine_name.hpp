// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <string>
#include <string_view>

#include <vmm/base/result.hpp>

namespace vmmd {

// Machine names as vmmd accepts them: [A-Za-z0-9][A-Za-z0-9_.-]{0,63}. They
// become file names (NAME.json), unit instances (vmm@NAME.service) and
// socket folders (/run/vmmkit/NAME/), so nothing else is allowed. The error
// (InvalidArgument) quotes the name with unprintable bytes escaped.
vmm::Result<void> check_machine_name(std::string_view name);

// "vmm@NAME.service".
std::string unit_name_for(std::string_view name);

}  // namespace vmmd
