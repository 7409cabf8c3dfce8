// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <system_error>

#include <vmm/base/export.hpp>

namespace vmm {

enum class DevicesErrc {
  kBufferFull = 1,  // a device's bounded buffer has no room for the request
};

VMM_API const std::error_category& devices_category() noexcept;
inline std::error_code make_error_code(DevicesErrc e) { return {static_cast<int>(e), devices_category()}; }

}  // namespace vmm

template <>
struct std::is_error_code_enum<vmm::DevicesErrc> : std::true_type {};
