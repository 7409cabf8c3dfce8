// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <system_error>

#include <vmm/base/export.hpp>

namespace vmm {

enum class EventErrc {
  kAlreadyRegistered = 1,  // the fd is already in the event loop
  kNotRegistered,          // the fd is not in the event loop
};

VMM_API const std::error_category& event_category() noexcept;
inline std::error_code make_error_code(EventErrc e) { return {static_cast<int>(e), event_category()}; }

}  // namespace vmm

template <>
struct std::is_error_code_enum<vmm::EventErrc> : std::true_type {};
