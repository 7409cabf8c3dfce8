// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <compare>
#include <cstdint>
#include <optional>

namespace vmm {

// A guest-physical address. A strong type so it never mixes with host
// pointers, sizes or offsets; arithmetic is checked.
class GuestAddress {
 public:
  constexpr GuestAddress() = default;
  constexpr explicit GuestAddress(uint64_t value) : value_(value) {}

  [[nodiscard]] constexpr uint64_t value() const { return value_; }
  [[nodiscard]] constexpr std::optional<GuestAddress> checked_add(uint64_t offset) const {
    uint64_t sum;
    if (__builtin_add_overflow(value_, offset, &sum)) return std::nullopt;
    return GuestAddress(sum);
  }
  // Only for addresses already known to be in range (e.g. derived from a
  // validated region); prefer checked_add.
  [[nodiscard]] constexpr GuestAddress unchecked_add(uint64_t offset) const { return GuestAddress(value_ + offset); }
  [[nodiscard]] constexpr uint64_t offset_from(GuestAddress base) const { return value_ - base.value_; }

  constexpr auto operator<=>(const GuestAddress&) const = default;

 private:
  uint64_t value_ = 0;
};

}  // namespace vmm
