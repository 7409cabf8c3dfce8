// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <string_view>

#include <vmm/acpi/tables.hpp>

// The System Description Table Header (ACPI 6.5, 5.2.6) shared by every
// table but the RSDP, and little-endian field helpers.
namespace vmm::acpi::detail {

inline constexpr size_t kHeaderSize = 36;
inline constexpr size_t kLengthOffset = 4;
inline constexpr size_t kChecksumOffset = 9;

// Appends `size` little-endian bytes of value.
void append_le(Bytes& out, uint64_t value, size_t size);
// Overwrites `size` bytes at offset (offset + size <= out.size() by construction).
void put_le(Bytes& out, size_t offset, uint64_t value, size_t size);
// Appends `text` padded with spaces to `width` bytes.
void append_padded(Bytes& out, std::string_view text, size_t width);
Result<void> validate_oem(const OemIds& oem);
// A header with length and checksum still 0 (see finish_table).
Bytes table_header(std::string_view signature, uint8_t revision, const OemIds& oem);
// Sets the length field to the size, then the checksum over the finished bytes.
Result<Bytes> finish_table(Bytes table);
// Appends a Generic Address Structure (5.2.3.2), 12 bytes.
void append_gas(Bytes& out, const GenericAddress& gas);

}  // namespace vmm::acpi::detail
