// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>

#include <vmm/acpi/aml.hpp>

// AML opcodes we emit (ACPI 6.5, 20.3 "AML Byte Stream Byte Values").
namespace vmm::acpi::aml::op {

inline constexpr uint8_t kZero = 0x00;
inline constexpr uint8_t kOne = 0x01;
inline constexpr uint8_t kName = 0x08;
inline constexpr uint8_t kBytePrefix = 0x0A;
inline constexpr uint8_t kWordPrefix = 0x0B;
inline constexpr uint8_t kDWordPrefix = 0x0C;
inline constexpr uint8_t kStringPrefix = 0x0D;
inline constexpr uint8_t kQWordPrefix = 0x0E;
inline constexpr uint8_t kScope = 0x10;
inline constexpr uint8_t kBuffer = 0x11;
inline constexpr uint8_t kPackage = 0x12;
inline constexpr uint8_t kMethod = 0x14;
inline constexpr uint8_t kDualNamePrefix = 0x2E;
inline constexpr uint8_t kMultiNamePrefix = 0x2F;
inline constexpr uint8_t kExtPrefix = 0x5B;
inline constexpr uint8_t kExtOpRegion = 0x80;  // after kExtPrefix
inline constexpr uint8_t kExtField = 0x81;
inline constexpr uint8_t kExtDevice = 0x82;
inline constexpr uint8_t kRootChar = 0x5C;      // '\'
inline constexpr uint8_t kParentPrefix = 0x5E;  // '^'
inline constexpr uint8_t kAnd = 0x7B;
inline constexpr uint8_t kNotify = 0x86;
inline constexpr uint8_t kIf = 0xA0;
inline constexpr uint8_t kReturn = 0xA4;

// Appends the 4 characters of a NameSeg (one at a time: GCC 12's
// -Warray-bounds misreads a range insert into a just-built vector).
inline void append(Bytes& out, NameSeg seg) {
  for (char c : seg.chars()) out.push_back(static_cast<uint8_t>(c));
}

// Appends `more` to `out`.
inline void append(Bytes& out, const Bytes& more) { out.insert(out.end(), more.begin(), more.end()); }

}  // namespace vmm::acpi::aml::op
