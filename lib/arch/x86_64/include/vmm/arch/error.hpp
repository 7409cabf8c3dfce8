// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <system_error>

#include <vmm/base/export.hpp>

namespace vmm::x86_64 {

enum class ArchErrc {
  kTooManyMemoryMapEntries = 1,  // e820 / PVH memory map longer than the boot structure holds
  kInvalidMemoryLayout,          // RAM regions that wrap around or overlap
  kInvalidKernelHeader,          // setup header without boot_flag 0xAA55 and "HdrS"
  kCmdlineTooLong,               // longer than the kernel or the layout allows
  kAddressTooHigh,               // an address the kernel's boot protocol version cannot express
  kTooManyVcpus,                 // more vCPUs than APIC ids or the MP table allow
  kInvalidTopology,              // zero vCPUs, or a vCPU index outside the count
};

VMM_API const std::error_category& arch_category() noexcept;
inline std::error_code make_error_code(ArchErrc e) { return {static_cast<int>(e), arch_category()}; }

}  // namespace vmm::x86_64

template <>
struct std::is_error_code_enum<vmm::x86_64::ArchErrc> : std::true_type {};
