// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <system_error>

#include <vmm/base/export.hpp>

namespace vmm {

// Errors in a machine definition (JSON file or command-line flags). The
// Error's context says what is wrong and where ("unknown key \"vcpu.count\"",
// "--memory: \"size_mib\" must be at least 1, got 0"); the code classifies it
// for programs (vmmd maps them to D-Bus error names).
enum class ConfigErrc {
  kSyntax = 1,          // not valid JSON (context has line and column)
  kUnknownKey,          // a key the format does not define, or a duplicate key
  kWrongType,           // a value of the wrong JSON type
  kMissingKey,          // a required key is absent
  kInvalidValue,        // out of range or malformed (name, uuid, cmdline, path)
  kUnsupportedVersion,  // "version" newer than this build reads
  kTooLarge,            // the file exceeds the size cap
  kInvalidOption,       // malformed command-line flag (key=value syntax, unknown key)
};

// Errors in a control-socket request (docs/control-protocol.md).
enum class ControlErrc {
  kBadRequest = 1,  // not JSON, unknown command or key, wrong type
  kLineTooLong,     // a request line longer than the protocol limit
  kBadResponse,     // a malformed response (client side)
};

VMM_API const std::error_category& config_category() noexcept;
VMM_API const std::error_category& control_category() noexcept;
inline std::error_code make_error_code(ConfigErrc e) { return {static_cast<int>(e), config_category()}; }
inline std::error_code make_error_code(ControlErrc e) { return {static_cast<int>(e), control_category()}; }

}  // namespace vmm

template <>
struct std::is_error_code_enum<vmm::ConfigErrc> : std::true_type {};
template <>
struct std::is_error_code_enum<vmm::ControlErrc> : std::true_type {};
