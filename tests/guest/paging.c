// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "paging.h"

#include "arch.h"
#include "lib.h"

// Page-table entry bits (SDM Vol. 3A, 4.5 "4-Level Paging").
#define PTE_P 0x1ull
#define PTE_RW 0x2ull
#define PTE_PS 0x80ull
#define PTE_UNCACHED 0x18ull  // PCD | PWT
#define PTE_ADDR 0x000ffffffffff000ull
#define IDENTITY_MAPPED_BY_BOOT_TABLES GiB(4)
#define POOL_PAGES 8

extern uint64_t boot_pml4[512];                    // pagetables.S
extern uint64_t page_table_pool[POOL_PAGES][512];  // pagetables.S, not cleared at entry

static bool has_1g_pages;
static unsigned phys_bits = 36;
static unsigned pool_used;

void paging_init(void) {
  uint32_t max_ext = cpuid(0x80000000, 0).eax;
  if (max_ext >= 0x80000001) has_1g_pages = (cpuid(0x80000001, 0).edx >> 26) & 1;
  if (max_ext >= 0x80000008) phys_bits = cpuid(0x80000008, 0).eax & 0xff;
}

bool paging_has_1g_pages(void) { return has_1g_pages; }
uint32_t paging_root(void) { return (uint32_t)(uintptr_t)boot_pml4; }

static uint64_t* table_at(uint64_t entry) { return phys_ptr(entry & PTE_ADDR); }

// The next-level table under *entry, allocated from the pool if absent.
static uint64_t* next_table(uint64_t* entry) {
  if (*entry & PTE_P) return table_at(*entry);
  if (pool_used == POOL_PAGES) return NULL;
  uint64_t* table = page_table_pool[pool_used++];
  memset(table, 0, 4096);
  *entry = (uint64_t)(uintptr_t)table | PTE_P | PTE_RW;
  return table;
}

static bool map_one(uint64_t addr) {
  uint64_t* pdpt = next_table(&boot_pml4[(addr >> 39) & 511]);
  if (!pdpt) return false;
  uint64_t* pdpte = &pdpt[(addr >> 30) & 511];
  if ((*pdpte & (PTE_P | PTE_PS)) == (PTE_P | PTE_PS)) return true;
  if (!(*pdpte & PTE_P) && has_1g_pages) {
    *pdpte = (addr & ~(GiB(1) - 1)) | PTE_P | PTE_RW | PTE_PS;
    return true;
  }
  uint64_t* pd = next_table(pdpte);
  if (!pd) return false;
  uint64_t* pde = &pd[(addr >> 21) & 511];
  if (!(*pde & PTE_P)) *pde = (addr & ~(MiB(2) - 1)) | PTE_P | PTE_RW | PTE_PS;
  return true;
}

bool paging_map_range(uint64_t addr, uint64_t len) {
  if (len == 0) return true;
  uint64_t last = addr + len - 1;
  if (last < addr || (phys_bits < 64 && last >> phys_bits)) return false;
  if (last < IDENTITY_MAPPED_BY_BOOT_TABLES) return true;
  if (addr < IDENTITY_MAPPED_BY_BOOT_TABLES) addr = IDENTITY_MAPPED_BY_BOOT_TABLES;
  uint64_t step = has_1g_pages ? GiB(1) : MiB(2);
  bool ok = true;
  for (uint64_t a = addr & ~(step - 1); ok && a <= last; a += step) {
    ok = map_one(a);
    if (a + step < a) break;
  }
  // Entries only went from not-present to present, which needs no
  // invalidation (SDM Vol. 3A, 4.10.4.3); reloading CR3 is cheap insurance.
  write_cr3(read_cr3());
  return ok;
}

bool paging_set_uncached(uint64_t addr, uint64_t len) {
  if (len == 0) return true;
  uint64_t last = addr + len - 1;
  if (last < addr || last >= IDENTITY_MAPPED_BY_BOOT_TABLES) return false;
  for (uint64_t a = addr & ~(MiB(2) - 1); a <= last; a += MiB(2)) {
    uint64_t* pdpt = table_at(boot_pml4[0]);
    uint64_t* pd = table_at(pdpt[(a >> 30) & 511]);
    pd[(a >> 21) & 511] |= PTE_UNCACHED;
  }
  // Cacheability changed on present entries: flush the TLB (SDM Vol. 3A, 4.10.4.1).
  write_cr3(read_cr3());
  return true;
}
