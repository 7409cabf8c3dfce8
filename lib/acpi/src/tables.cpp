// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// RSDP, XSDT, FADT and DSDT (ACPI 6.5, 5.2.5 - 5.2.11).
#include <algorithm>
#include <numeric>
#include <string>

#include "table_header.hpp"

namespace vmm::acpi {
namespace detail {

void append_le(Bytes& out, uint64_t value, size_t size) {
  for (size_t i = 0; i < size; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

void put_le(Bytes& out, size_t offset, uint64_t value, size_t size) {
  for (size_t i = 0; i < size; ++i) out.at(offset + i) = static_cast<uint8_t>(value >> (8 * i));
}

void append_padded(Bytes& out, std::string_view text, size_t width) {
  for (size_t i = 0; i < width; ++i) out.push_back(i < text.size() ? static_cast<uint8_t>(text[i]) : ' ');
}

Result<void> validate_oem(const OemIds& oem) {
  auto printable = [](std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c <= 0x7E; });
  };
  if (oem.oem_id.size() > 6 || oem.table_id.size() > 8 || !printable(oem.oem_id) || !printable(oem.table_id))
    return Error(AcpiErrc::kInvalidOemId, "ACPI OEM id '" + oem.oem_id + "' / table id '" + oem.table_id +
                                              "' must be at most 6 / 8 printable ASCII characters");
  return ok();
}

Bytes table_header(std::string_view signature, uint8_t revision, const OemIds& oem) {
  Bytes out;
  append_padded(out, signature, 4);
  append_le(out, 0, 4);  // Length, set by finish_table
  out.push_back(revision);
  out.push_back(0);  // Checksum, set by finish_table
  append_padded(out, oem.oem_id, 6);
  append_padded(out, oem.table_id, 8);
  append_le(out, oem.revision, 4);
  append_padded(out, "VMMK", 4);  // Creator ID: the tool that built the table
  append_le(out, 1, 4);           // Creator Revision
  return out;
}

Result<Bytes> finish_table(Bytes table) {
  if (table.size() > UINT32_MAX) return Error(AcpiErrc::kWindowTooSmall, "ACPI table larger than 4 GiB");
  put_le(table, kLengthOffset, table.size(), 4);
  table[kChecksumOffset] = checksum(table);
  return table;
}

void append_gas(Bytes& out, const GenericAddress& gas) {
  out.push_back(static_cast<uint8_t>(gas.space));
  out.push_back(gas.bit_width);
  out.push_back(gas.bit_offset);
  out.push_back(gas.access_size);
  append_le(out, gas.address, 8);
}

}  // namespace detail

using namespace detail;

uint8_t checksum(std::span<const uint8_t> bytes) {
  const auto sum = std::accumulate(bytes.begin(), bytes.end(), uint8_t{0},
                                   [](uint8_t acc, uint8_t b) { return static_cast<uint8_t>(acc + b); });
  return static_cast<uint8_t>(0x100 - sum);
}

Result<Bytes> build_rsdp(const OemIds& oem, uint64_t xsdt_address) {
  VMM_TRY(validate_oem(oem));
  constexpr size_t kV1Size = 20, kSize = 36;
  Bytes out;
  append_padded(out, "RSD PTR ", 8);
  out.push_back(0);  // checksum of the first 20 bytes (ACPI 1.0 part)
  append_padded(out, oem.oem_id, 6);
  out.push_back(2);      // Revision: ACPI 2.0+ (XSDT)
  append_le(out, 0, 4);  // RsdtAddress: none, the XSDT supersedes it
  append_le(out, kSize, 4);
  append_le(out, xsdt_address, 8);
  out.push_back(0);      // extended checksum over all 36 bytes
  append_le(out, 0, 3);  // reserved
  out[8] = checksum(std::span(out).first(kV1Size));
  out[32] = checksum(out);
  return out;
}

Result<Bytes> build_xsdt(const OemIds& oem, std::span<const uint64_t> table_addresses) {
  VMM_TRY(validate_oem(oem));
  Bytes out = table_header("XSDT", 1, oem);
  for (uint64_t address : table_addresses) append_le(out, address, 8);
  return finish_table(std::move(out));
}

Result<Bytes> build_fadt(const OemIds& oem, const FadtConfig& config) {
  VMM_TRY(validate_oem(oem));
  // Field offsets: ACPI 6.5, Table 5.9. Everything a hardware-reduced
  // platform does not have (PM blocks, GPEs, SCI, SMI) stays 0.
  constexpr size_t kSize = 276;
  constexpr size_t kIapcBootArch = 109, kFlags = 112, kMinorVersion = 131, kXDsdt = 140;
  constexpr size_t kSleepControl = 244, kHypervisorVendor = 268;
  constexpr uint16_t kBoot8042 = 1 << 1, kBootVgaNotPresent = 1 << 2, kBootNoCmosRtc = 1 << 5;
  // Flags: PWR_BUTTON and SLP_BUTTON (bits 4, 5) set = no fixed-feature
  // buttons; HW_REDUCED_ACPI (bit 20).
  constexpr uint32_t kFlagsValue = 1U << 4 | 1U << 5 | 1U << 20;

  Bytes out = table_header("FACP", 6, oem);
  out.resize(kSize, 0);
  const uint16_t boot_arch = static_cast<uint16_t>(kBootVgaNotPresent | (config.i8042 ? kBoot8042 : 0) |
                                                   (config.cmos_rtc ? 0 : kBootNoCmosRtc));
  put_le(out, kIapcBootArch, boot_arch, 2);
  put_le(out, kFlags, kFlagsValue, 4);
  out[kMinorVersion] = 5;
  put_le(out, kXDsdt, config.dsdt_address, 8);  // the 32-bit DSDT field stays 0
  Bytes registers;
  append_gas(registers, config.sleep_control);
  append_gas(registers, config.sleep_status);
  std::copy(registers.begin(), registers.end(), out.begin() + kSleepControl);
  std::copy_n("VMMKIT\0\0", 8, out.begin() + kHypervisorVendor);
  return finish_table(std::move(out));
}

Result<Bytes> build_dsdt(const OemIds& oem, std::span<const uint8_t> aml) {
  VMM_TRY(validate_oem(oem));
  Bytes out = table_header("DSDT", 2, oem);
  out.insert(out.end(), aml.begin(), aml.end());
  return finish_table(std::move(out));
}

}  // namespace vmm::acpi
