// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include <vmm/memory/guest_memory.hpp>

namespace vmm::x86_64::test {

inline constexpr uint64_t kMiB = 1ULL << 20;
inline constexpr uint64_t kGiB = 1ULL << 30;

// Guest RAM laid out as the VMM does it (MAP_NORESERVE: 6 GiB costs nothing).
inline GuestMemory make_memory(uint64_t size) {
  auto memory = GuestMemory::create(x86_64_memory_layout(size));
  if (!memory) ADD_FAILURE() << memory.error().message();
  return std::move(memory).value();
}

inline std::vector<uint8_t> read_bytes(const GuestMemory& memory, uint64_t addr, size_t len) {
  std::vector<uint8_t> bytes(len);
  auto read = memory.read(GuestAddress(addr), bytes);
  if (!read) ADD_FAILURE() << read.error().message();
  return bytes;
}

template <typename T>
T read_at(const GuestMemory& memory, uint64_t addr) {
  auto value = memory.read_obj<T>(GuestAddress(addr));
  if (!value) ADD_FAILURE() << value.error().message();
  return value.ok() ? *value : T{};
}

}  // namespace vmm::x86_64::test
