// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/base/error_category.hpp>
#include <vmm/memory/error.hpp>

namespace vmm {
namespace {

const char* describe_memory_error(int code) {
  switch (static_cast<MemoryErrc>(code)) {
    case MemoryErrc::kInvalidRegion:
      return "invalid guest memory region";
    case MemoryErrc::kOutOfBounds:
      return "guest address outside guest RAM";
    case MemoryErrc::kMapFailed:
      return "cannot map guest RAM";
    case MemoryErrc::kShortRead:
      return "file shorter than expected";
  }
  return "unknown guest memory error";
}

}  // namespace

const std::error_category& memory_category() noexcept {
  static const ErrorCategory kCategory("vmm.memory", describe_memory_error);
  return kCategory;
}

}  // namespace vmm
