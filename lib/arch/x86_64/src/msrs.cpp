// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/arch/msrs.hpp>

namespace vmm::x86_64 {
namespace {

MsrEntry entry(Msr index, uint64_t value) { return {static_cast<uint32_t>(index), value}; }

}  // namespace

std::vector<MsrEntry> boot_msrs() {
  return {
      entry(Msr::kSysenterCs, 0),
      entry(Msr::kSysenterEsp, 0),
      entry(Msr::kSysenterEip, 0),
      entry(Msr::kStar, 0),
      entry(Msr::kLstar, 0),
      entry(Msr::kCstar, 0),
      entry(Msr::kSyscallMask, 0),
      entry(Msr::kKernelGsBase, 0),
      entry(Msr::kMiscEnable, kMiscEnableFastStrings),
      entry(Msr::kMtrrDefType, kMtrrDefTypeWriteBackEnabled),
  };
}

}  // namespace vmm::x86_64
