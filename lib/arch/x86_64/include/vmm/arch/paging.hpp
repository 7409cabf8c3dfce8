// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include <vmm/base/export.hpp>
#include <vmm/base/result.hpp>
#include <vmm/memory/guest_memory.hpp>

// Boot page tables for the 64-bit entry: 4-level paging identity-mapping
// [0, kIdentityMapSize) with 2 MiB pages (Intel SDM Vol. 3A, 4.5). Linux's
// 64-bit boot protocol needs the kernel, boot_params and the command line
// mapped; the kernel builds its own tables before touching anything else.
namespace vmm::x86_64 {

inline constexpr size_t kPageTableEntries = 512;
using PageTable = std::array<uint64_t, kPageTableEntries>;

// Entry bits (SDM Vol. 3A, Tables 4-15 .. 4-18).
inline constexpr uint64_t kPagePresent = 1ULL << 0;
inline constexpr uint64_t kPageWritable = 1ULL << 1;
inline constexpr uint64_t kPageLarge = 1ULL << 7;  // PS: this PDE maps a 2 MiB page
inline constexpr uint64_t kLargePageSize = 2ULL << 20;

struct IdentityPageTables {
  PageTable pml4{};  // [0] -> PDPT
  PageTable pdpt{};  // [0] -> PD
  PageTable pd{};    // [i] -> i * 2 MiB
};

[[nodiscard]] VMM_API IdentityPageTables build_identity_page_tables();

// Writes the three tables (whole pages) at kPml4Start, kPdptStart, kPdStart.
// CR3 = kPml4Start.
VMM_API Result<void> write_identity_page_tables(GuestMemory& memory);

}  // namespace vmm::x86_64
