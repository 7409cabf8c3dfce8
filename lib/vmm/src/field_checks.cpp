// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "field_checks.hpp"

#include <vmm/vmm/error.hpp>
#include <vmm/vmm/machine_config.hpp>

#include "text_checks.hpp"

namespace vmm::field {

Error invalid_value(std::string_view key, const std::string& why) {
  return Error(ConfigErrc::kInvalidValue, "\"" + std::string(key) + "\" " + why);
}

Result<void> check_range(std::string_view key, uint64_t value, uint64_t min, uint64_t max) {
  if (value >= min && value <= max) return ok();
  return invalid_value(
      key, "must be " + std::to_string(min) + ".." + std::to_string(max) + ", got " + std::to_string(value));
}

Result<void> check_name(std::string_view key, std::string_view name) {
  if (text::is_machine_name(name)) return ok();
  return invalid_value(key, "must be 1-64 characters of A-Z a-z 0-9 _ . - starting with a letter or digit");
}

Result<void> check_uuid(std::string_view key, std::string_view uuid) {
  if (text::is_uuid(uuid)) return ok();
  return invalid_value(key, "must be a UUID like 01234567-89ab-cdef-0123-456789abcdef");
}

Result<void> check_cmdline(std::string_view key, std::string_view cmdline) {
  if (cmdline.size() > kMaxCmdlineBytes)
    return invalid_value(key, "is " + std::to_string(cmdline.size()) + " bytes, more than the limit of " +
                                  std::to_string(kMaxCmdlineBytes));
  if (!text::is_printable_ascii(cmdline))
    return invalid_value(key, "must be printable ASCII (no NUL, newline or other control characters)");
  return ok();
}

Result<void> check_path(std::string_view key, std::string_view path) {
  if (path.empty()) return invalid_value(key, "must not be empty");
  if (path.size() > kMaxPathLength)
    return invalid_value(key, "is longer than " + std::to_string(kMaxPathLength) + " bytes");
  if (!text::is_valid_utf8(path)) return invalid_value(key, "must be valid UTF-8");
  if (text::has_control_char(path)) return invalid_value(key, "must not contain control characters");
  return ok();
}

Result<void> check_socket_path(std::string_view key, std::string_view path) {
  VMM_TRY(check_path(key, path));
  if (path.size() <= kMaxSocketPathLength) return ok();
  return invalid_value(key, "is longer than the " + std::to_string(kMaxSocketPathLength) +
                                " bytes a unix socket path can have");
}

}  // namespace vmm::field
