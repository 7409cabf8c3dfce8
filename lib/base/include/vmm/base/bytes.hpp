// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <type_traits>

namespace vmm {

// Little-endian loads/stores from byte spans, bounds-checked: a read past the
// end gives nullopt / false instead of touching memory (used by parsers of
// kernel images and other untrusted data). x86 and the formats we parse are
// little endian; we still assemble bytes explicitly so the code is portable.
template <typename T>
  requires std::is_unsigned_v<T>
[[nodiscard]] constexpr std::optional<T> load_le(std::span<const uint8_t> bytes, size_t offset) {
  if (offset > bytes.size() || bytes.size() - offset < sizeof(T)) return std::nullopt;
  T value = 0;
  for (size_t i = 0; i < sizeof(T); ++i) value |= static_cast<T>(static_cast<T>(bytes[offset + i]) << (8 * i));
  return value;
}

template <typename T>
  requires std::is_unsigned_v<T>
[[nodiscard]] constexpr bool store_le(std::span<uint8_t> bytes, size_t offset, T value) {
  if (offset > bytes.size() || bytes.size() - offset < sizeof(T)) return false;
  for (size_t i = 0; i < sizeof(T); ++i) bytes[offset + i] = static_cast<uint8_t>(value >> (8 * i));
  return true;
}

// Overflow-checked a + b for sizes and addresses.
template <typename T>
  requires std::is_unsigned_v<T>
[[nodiscard]] constexpr std::optional<T> checked_add(T a, T b) {
  T sum;
  if (__builtin_add_overflow(a, b, &sum)) return std::nullopt;
  return sum;
}

template <typename T>
  requires std::is_unsigned_v<T>
[[nodiscard]] constexpr std::optional<T> checked_mul(T a, T b) {
  T product;
  if (__builtin_mul_overflow(a, b, &product)) return std::nullopt;
  return product;
}

// Rounds up to a power-of-two alignment; nullopt on overflow.
[[nodiscard]] constexpr std::optional<uint64_t> align_up(uint64_t value, uint64_t alignment) {
  auto sum = checked_add<uint64_t>(value, alignment - 1);
  if (!sum) return std::nullopt;
  return *sum & ~(alignment - 1);
}

// Reads a trivially copyable struct from the front of bytes.
template <typename T>
  requires std::is_trivially_copyable_v<T>
[[nodiscard]] std::optional<T> load_struct(std::span<const uint8_t> bytes, size_t offset = 0) {
  if (offset > bytes.size() || bytes.size() - offset < sizeof(T)) return std::nullopt;
  T value;
  std::memcpy(&value, bytes.data() + offset, sizeof(T));
  return value;
}

}  // namespace vmm
