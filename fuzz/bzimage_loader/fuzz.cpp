// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// libFuzzer target: load_bzimage on arbitrary bytes into 64 MiB of guest
// RAM, then an initrd placed with the limits the image's header gives.
// Seeds: corpus/ (make-seeds.py writes them).
#include <array>
#include <cstdint>
#include <cstdlib>
#include <span>

#include <vmm/loader/cmdline.hpp>
#include <vmm/loader/initrd.hpp>
#include <vmm/loader/kernel.hpp>

#include "../common/fuzz_memory.hpp"

namespace {

constexpr uint64_t kRamSize = 64 << 20;

vmm::GuestMemory& fuzz_memory() { return vmm::fuzz::guest_memory<kRamSize>(); }

// What the arch code relies on after a successful load.
void check_kernel(const vmm::GuestMemory& memory, const vmm::LoadedKernel& kernel) {
  if (kernel.format != vmm::LoadedKernel::Format::kBzImage || !kernel.header) __builtin_trap();
  if (kernel.load_address.value() < vmm::kKernelMinLoadAddress) __builtin_trap();
  if (kernel.end.value() > (uint64_t{1} << 32) || !(kernel.entry64 < kernel.end)) __builtin_trap();
  if (kernel.entry64.offset_from(kernel.load_address) != 0x200) __builtin_trap();
  if (!memory.contains_range(kernel.load_address, kernel.end.offset_from(kernel.load_address)))
    __builtin_trap();
  if (kernel.header->code32_start != kernel.load_address.value()) __builtin_trap();
  if (vmm::cmdline_capacity(kernel) == 0) __builtin_trap();
}

void check_initrd(vmm::GuestMemory& memory, const vmm::LoadedKernel& kernel) {
  static constexpr std::array<uint8_t, 4096> kInitrd{1, 2, 3};
  const uint64_t addr_max = vmm::initrd_addr_max(kernel);
  auto placed = vmm::place_initrd(memory, kInitrd, addr_max, kernel.end);
  if (!placed) return;
  const uint64_t start = placed->address.value();
  if (start < kernel.end.value() || start % 4096 != 0 || start + kInitrd.size() > addr_max + 1)
    __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vmm::GuestMemory& memory = fuzz_memory();
  auto kernel = vmm::load_bzimage(memory, std::span(data, size));
  if (!kernel) return 0;
  check_kernel(memory, *kernel);
  check_initrd(memory, *kernel);
  return 0;
}
