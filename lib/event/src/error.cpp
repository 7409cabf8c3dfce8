// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/base/error_category.hpp>
#include <vmm/event/error.hpp>

namespace vmm {
namespace {

const char* describe_event_error(int code) {
  switch (static_cast<EventErrc>(code)) {
    case EventErrc::kAlreadyRegistered:
      return "fd already registered";
    case EventErrc::kNotRegistered:
      return "fd not registered";
  }
  return "unknown event loop error";
}

}  // namespace

const std::error_category& event_category() noexcept {
  static const ErrorCategory kCategory("vmm.event", describe_event_error);
  return kCategory;
}

}  // namespace vmm
