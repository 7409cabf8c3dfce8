// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/arch/pvh.hpp>

#include <string>
#include <vector>

#include <vmm/arch/error.hpp>
#include <vmm/arch/layout.hpp>

namespace vmm::x86_64 {
namespace {

std::vector<HvmMemmapTableEntry> memmap_table(std::span<const E820Entry> memmap) {
  std::vector<HvmMemmapTableEntry> table;
  table.reserve(memmap.size());
  for (const E820Entry& entry : memmap) {
    table.push_back({entry.addr, entry.size, static_cast<uint32_t>(entry.type), 0});
  }
  return table;
}

Result<void> write_memmap(GuestMemory& memory, std::span<const E820Entry> memmap) {
  if (memmap.size() > kPvhMemmapMaxEntries) {
    return Error(ArchErrc::kTooManyMemoryMapEntries, "PVH: " + std::to_string(memmap.size()) +
                                                         " memory map entries, at most " +
                                                         std::to_string(kPvhMemmapMaxEntries));
  }
  std::vector<HvmMemmapTableEntry> table = memmap_table(memmap);
  const auto* bytes = reinterpret_cast<const uint8_t*>(table.data());
  return memory.write(GuestAddress(kPvhMemmapStart),
                      std::span(bytes, table.size() * sizeof(HvmMemmapTableEntry)));
}

}  // namespace

HvmStartInfo build_pvh_start_info(const PvhSpec& spec) {
  HvmStartInfo info{};
  info.magic = kHvmStartMagic;
  info.version = kHvmStartInfoVersion;
  info.cmdline_paddr = spec.cmdline.value();
  info.rsdp_paddr = spec.rsdp.value();
  if (spec.initrd) {
    info.nr_modules = 1;
    info.modlist_paddr = kPvhModlistStart;
  }
  info.memmap_paddr = spec.memmap.empty() ? 0 : kPvhMemmapStart;
  info.memmap_entries = static_cast<uint32_t>(spec.memmap.size());
  return info;
}

Result<void> write_pvh_start_info(GuestMemory& memory, const PvhSpec& spec) {
  auto written = write_memmap(memory, spec.memmap);
  if (written && spec.initrd) {
    HvmModlistEntry module{spec.initrd->address.value(), spec.initrd->size, 0, 0};
    written = memory.write_obj(GuestAddress(kPvhModlistStart), module);
  }
  if (written) written = memory.write_obj(GuestAddress(kPvhStartInfoStart), build_pvh_start_info(spec));
  if (!written) return written.error().with_context("writing PVH start_info");
  return ok();
}

}  // namespace vmm::x86_64
