// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/allocator/error.hpp>
#include <vmm/base/error_category.hpp>

namespace vmm {
namespace {

const char* describe_allocator_error(int code) {
  switch (static_cast<AllocatorErrc>(code)) {
    case AllocatorErrc::kInvalidRange:
      return "invalid allocation request";
    case AllocatorErrc::kExhausted:
      return "no space left in the pool";
    case AllocatorErrc::kOutOfRange:
      return "outside the pool";
    case AllocatorErrc::kInUse:
      return "already allocated";
    case AllocatorErrc::kNotAllocated:
      return "not allocated";
  }
  return "unknown allocator error";
}

}  // namespace

const std::error_category& allocator_category() noexcept {
  static const ErrorCategory kCategory("vmm.allocator", describe_allocator_error);
  return kCategory;
}

}  // namespace vmm
