// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/base/error.hpp>

#include <cerrno>

namespace vmm {

Error Error::from_errno(std::string context) { return from_errno(errno, std::move(context)); }

Error Error::from_errno(int err, std::string context) {
  return Error(std::error_code(err, std::system_category()), std::move(context));
}

std::string Error::message() const {
  // "invalid argument" adds nothing to a context that already says what is
  // wrong with the input.
  if (!code_ || (code_ == std::make_error_code(std::errc::invalid_argument) && !context_.empty())) return context_;
  if (context_.empty()) return code_.message();
  return context_ + ": " + code_.message();
}

Error Error::with_context(const std::string& outer) const {
  return Error(code_, context_.empty() ? outer : outer + ": " + context_);
}

}  // namespace vmm
