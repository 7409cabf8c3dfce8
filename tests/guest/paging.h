// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Identity paging. head.S switches to static tables that map 0-4 GiB with
// 2 MiB pages (pagetables.S); anything above 4 GiB is mapped on demand,
// with 1 GiB pages when the CPU has them (CPUID 0x80000001 EDX bit 26),
// so only a handful of entries is ever written.
#pragma once

#include <stdbool.h>
#include <stdint.h>

void paging_init(void);
// Makes [addr, addr + len) identity-mapped; false if it cannot (beyond
// MAXPHYADDR, or the small pool of table pages is used up).
bool paging_map_range(uint64_t addr, uint64_t len);
// Makes the 2 MiB pages covering [addr, addr + len) below 4 GiB uncached
// (device windows in the 32-bit hole, such as virtio-mmio's).
bool paging_set_uncached(uint64_t addr, uint64_t len);
bool paging_has_1g_pages(void);
// The page-table root for the APs' trampoline; below 4 GiB.
uint32_t paging_root(void);
