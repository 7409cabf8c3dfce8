// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "machine_name.hpp"

#include <cstdio>

#include "daemon_error.hpp"

namespace vmmd {
namespace {

constexpr size_t kMaxNameLength = 64;
constexpr size_t kMaxQuotedBytes = 80;  // of a hostile name, in an error message

bool is_alnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// The name as it can be shown in a message: printable ASCII kept, the rest
// as \xNN, cut after kMaxQuotedBytes.
std::string quoted(std::string_view name) {
  std::string out = "\"";
  for (size_t i = 0; i < name.size() && i < kMaxQuotedBytes; ++i) {
    auto byte = static_cast<unsigned char>(name[i]);
    if (byte >= 0x20 && byte < 0x7f && byte != '"' && byte != '\\') {
      out += static_cast<char>(byte);
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    }
  }
  if (name.size() > kMaxQuotedBytes) out += "...";
  return out + "\"";
}

}  // namespace

vmm::Result<void> check_machine_name(std::string_view name) {
  if (name.empty()) return daemon_error(DaemonErrc::kInvalidArgument, "machine name is empty");
  if (name.size() > kMaxNameLength) {
    return daemon_error(DaemonErrc::kInvalidArgument,
                        "machine name " + quoted(name) + " is longer than 64 characters");
  }
  if (!is_alnum(name[0])) {
    return daemon_error(DaemonErrc::kInvalidArgument,
                        "machine name " + quoted(name) + " must start with a letter or digit");
  }
  for (char c : name) {
    if (!is_alnum(c) && c != '_' && c != '.' && c != '-') {
      return daemon_error(DaemonErrc::kInvalidArgument, "machine name " + quoted(name) +
                                                            " may contain only A-Z a-z 0-9 _ . -");
    }
  }
  return vmm::ok();
}

std::string unit_name_for(std::string_view name) { return "vmm@" + std::string(name) + ".service"; }

}  // namespace vmmd
