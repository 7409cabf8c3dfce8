// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <utility>

#include <vmm/base/result.hpp>
#include <vmm/vmm/machine_flags.hpp>

// Shared pieces of the apply_*_flag functions (machine_flags.cpp,
// device_flags.cpp). Private to the vmm component.
namespace vmm::flag {

// Every flag error carries ConfigErrc::kInvalidOption and starts with the flag's name.
[[nodiscard]] Error flag_error(std::string_view flag, const Error& inner);
Result<void> in_flag(std::string_view flag, Result<void> result);
[[nodiscard]] Error unknown_key(std::string_view key);
[[nodiscard]] Error missing_key(std::string_view key);

Result<uint64_t> parse_decimal(std::string_view key, std::string_view text);
// on/off (also true/false).
Result<bool> parse_switch(std::string_view key, std::string_view text);

// Parses `value` as key=value items and applies them to a copy of `part`, so
// that `part` is unchanged when the flag is wrong.
template <typename Part, typename Apply>
Result<void> apply_items(std::string_view flag, Part& part, std::string_view value, Apply apply,
                         std::initializer_list<std::string_view> rest_keys = {}) {
  auto items = parse_key_values(value, rest_keys);
  if (!items) return flag_error(flag, items.error());
  Part updated = part;
  VMM_TRY(in_flag(flag, apply(updated, *items)));
  part = std::move(updated);
  return ok();
}

}  // namespace vmm::flag
