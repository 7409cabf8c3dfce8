// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <string>
#include <system_error>

#include <vmm/base/export.hpp>

namespace vmm {

// A std::error_category for one component's error enum. Each component
// defines its enum, a category accessor returning a function-local constant
// ErrorCategory, make_error_code(), and the std::is_error_code_enum
// specialization (see lib/loader/include/vmm/loader/error.hpp for the pattern).
class VMM_API ErrorCategory final : public std::error_category {
 public:
  using Describe = const char* (*)(int code);
  constexpr ErrorCategory(const char* name, Describe describe) : name_(name), describe_(describe) {}

  [[nodiscard]] const char* name() const noexcept override { return name_; }
  [[nodiscard]] std::string message(int code) const override { return describe_(code); }

 private:
  const char* name_;
  Describe describe_;
};

}  // namespace vmm
