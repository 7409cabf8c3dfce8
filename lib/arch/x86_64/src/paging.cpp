// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/arch/paging.hpp>

#include <vmm/arch/layout.hpp>

namespace vmm::x86_64 {

static_assert(kIdentityMapSize == kPageTableEntries * kLargePageSize, "one PD maps the identity range");

IdentityPageTables build_identity_page_tables() {
  IdentityPageTables tables;
  tables.pml4[0] = kPdptStart | kPagePresent | kPageWritable;
  tables.pdpt[0] = kPdStart | kPagePresent | kPageWritable;
  for (size_t i = 0; i < kPageTableEntries; ++i) {
    tables.pd[i] = (i * kLargePageSize) | kPagePresent | kPageWritable | kPageLarge;
  }
  return tables;
}

Result<void> write_identity_page_tables(GuestMemory& memory) {
  IdentityPageTables tables = build_identity_page_tables();
  auto written = memory.write_obj(GuestAddress(kPml4Start), tables.pml4);
  if (written) written = memory.write_obj(GuestAddress(kPdptStart), tables.pdpt);
  if (written) written = memory.write_obj(GuestAddress(kPdStart), tables.pd);
  if (!written) return written.error().with_context("writing the boot page tables");
  return ok();
}

}  // namespace vmm::x86_64
