// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "flag_parsing.hpp"

#include <charconv>
#include <string>

#include <vmm/vmm/error.hpp>

#include "field_checks.hpp"
#include "text_checks.hpp"

namespace vmm::flag {

Error flag_error(std::string_view flag, const Error& inner) {
  return Error(ConfigErrc::kInvalidOption, std::string(flag) + ": " + inner.context());
}

Result<void> in_flag(std::string_view flag, Result<void> result) {
  if (!result) return flag_error(flag, result.error());
  return ok();
}

Error unknown_key(std::string_view key) {
  return Error(ConfigErrc::kInvalidOption, "unknown key " + text::quoted(key));
}

Error missing_key(std::string_view key) {
  return Error(ConfigErrc::kInvalidOption, "\"" + std::string(key) + "\" is required");
}

Result<uint64_t> parse_decimal(std::string_view key, std::string_view text) {
  uint64_t value = 0;
  auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (err != std::errc() || end != text.data() + text.size() || text.empty())
    return field::invalid_value(key, "must be a decimal number, got " + text::quoted(text));
  return value;
}

Result<bool> parse_switch(std::string_view key, std::string_view text) {
  if (text == "on" || text == "true") return true;
  if (text == "off" || text == "false") return false;
  return field::invalid_value(key, "must be on or off, got " + text::quoted(text));
}

}  // namespace vmm::flag
