// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// libFuzzer target: load_elf on arbitrary bytes into 64 MiB of guest RAM.
// Seeds: corpus/ (make-seeds.py writes them).
#include <cstdint>
#include <cstdlib>
#include <span>

#include <vmm/loader/kernel.hpp>

#include "../common/fuzz_memory.hpp"

namespace {

constexpr uint64_t kRamSize = 64 << 20;

vmm::GuestMemory& fuzz_memory() { return vmm::fuzz::guest_memory<kRamSize>(); }

bool inside_kernel(const vmm::LoadedKernel& kernel, vmm::GuestAddress addr) {
  return addr >= kernel.load_address && addr < kernel.end;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vmm::GuestMemory& memory = fuzz_memory();
  auto kernel = vmm::load_elf(memory, std::span(data, size));
  if (!kernel) return 0;
  // What the arch code relies on after a successful load.
  if (kernel->format != vmm::LoadedKernel::Format::kElf || kernel->header) __builtin_trap();
  if (!(kernel->load_address < kernel->end)) __builtin_trap();
  if (!memory.contains_range(kernel->load_address, kernel->end.offset_from(kernel->load_address)))
    __builtin_trap();
  if (!inside_kernel(*kernel, kernel->entry64)) __builtin_trap();
  if (kernel->pvh_entry && !inside_kernel(*kernel, *kernel->pvh_entry)) __builtin_trap();
  return 0;
}
