// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <string>
#include <system_error>
#include <utility>

#include <vmm/base/export.hpp>

namespace vmm {

// An error as a value: a code (per-component enum registered as a
// std::error_code, or an errno in std::system_category) plus the context a
// user needs to act on it ("open /dev/kvm", "kernel: PT_LOAD 2 outside guest
// memory"). message() joins both into one line.
class VMM_API Error {
 public:
  Error(std::error_code code, std::string context) : code_(code), context_(std::move(context)) {}

  // Builds an error from the current errno (call right after the failing syscall).
  static Error from_errno(std::string context);
  static Error from_errno(int err, std::string context);

  [[nodiscard]] const std::error_code& code() const { return code_; }
  [[nodiscard]] const std::string& context() const { return context_; }
  [[nodiscard]] std::string message() const;

  // Adds outer context: "loading kernel: " + inner message.
  [[nodiscard]] Error with_context(const std::string& outer) const;

 private:
  std::error_code code_;
  std::string context_;
};

}  // namespace vmm
