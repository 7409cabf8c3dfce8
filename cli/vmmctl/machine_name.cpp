// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "machine_name.hpp"

#include <string>

#include <vmm/vmm/machine_config.hpp>

#include "exit_status.hpp"

namespace vmmctl {
namespace {

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

vmm::Error name_error(std::string_view name, const char* why) {
  std::string shown;
  for (char c : name) shown += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  return vmm::Error(Failure::kUsage, "invalid machine name \"" + shown + "\": " + why);
}

}  // namespace

vmm::Result<void> check_machine_name(std::string_view name) {
  if (name.empty()) return name_error(name, "empty");
  if (name.size() > vmm::kMaxNameLength) return name_error(name, "longer than 64 characters");
  if (!is_alnum(name.front())) return name_error(name, "must start with a letter or digit");
  for (char c : name)
    if (!is_alnum(c) && c != '_' && c != '.' && c != '-')
      return name_error(name, "only letters, digits, '_', '.' and '-' are allowed");
  return vmm::ok();
}

}  // namespace vmmctl
