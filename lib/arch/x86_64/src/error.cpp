// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/arch/error.hpp>
#include <vmm/base/error_category.hpp>

namespace vmm::x86_64 {
namespace {

const char* describe_arch_error(int code) {
  switch (static_cast<ArchErrc>(code)) {
    case ArchErrc::kTooManyMemoryMapEntries:
      return "too many memory map entries";
    case ArchErrc::kInvalidMemoryLayout:
      return "invalid guest RAM layout";
    case ArchErrc::kInvalidKernelHeader:
      return "invalid Linux setup header";
    case ArchErrc::kCmdlineTooLong:
      return "kernel command line too long";
    case ArchErrc::kAddressTooHigh:
      return "address not expressible in the kernel's boot protocol";
    case ArchErrc::kTooManyVcpus:
      return "too many vCPUs";
    case ArchErrc::kInvalidTopology:
      return "invalid vCPU topology";
  }
  return "unknown x86-64 setup error";
}

}  // namespace

const std::error_category& arch_category() noexcept {
  static const ErrorCategory kCategory("vmm.arch", describe_arch_error);
  return kCategory;
}

}  // namespace vmm::x86_64
