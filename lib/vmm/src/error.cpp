// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/vmm/error.hpp>

#include <vmm/base/error_category.hpp>

namespace vmm {
namespace {

// The context of each error already names the problem; these texts end the
// message with what kind of input was rejected.
const char* describe_config(int code) {
  switch (static_cast<ConfigErrc>(code)) {
    case ConfigErrc::kSyntax:
      return "machine config is not valid JSON";
    case ConfigErrc::kUnknownKey:
    case ConfigErrc::kWrongType:
    case ConfigErrc::kMissingKey:
    case ConfigErrc::kInvalidValue:
      return "invalid machine config";
    case ConfigErrc::kUnsupportedVersion:
      return "unsupported machine config version";
    case ConfigErrc::kTooLarge:
      return "machine config too large";
    case ConfigErrc::kInvalidOption:
      return "invalid command-line option";
  }
  return "unknown machine config error";
}

const char* describe_control(int code) {
  switch (static_cast<ControlErrc>(code)) {
    case ControlErrc::kBadRequest:
      return "invalid control request";
    case ControlErrc::kLineTooLong:
      return "control protocol line too long";
    case ControlErrc::kBadResponse:
      return "invalid control response";
  }
  return "unknown control protocol error";
}

}  // namespace

const std::error_category& config_category() noexcept {
  static const ErrorCategory category("vmm.config", describe_config);
  return category;
}

const std::error_category& control_category() noexcept {
  static const ErrorCategory category("vmm.control", describe_control);
  return category;
}

}  // namespace vmm
