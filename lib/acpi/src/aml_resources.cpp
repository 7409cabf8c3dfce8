// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Resource descriptors (ACPI 6.5, 6.4 "Resource Data Types for ACPI") and
// the predefined device objects built from them.
#include "opcodes.hpp"

namespace vmm::acpi::aml {
namespace {

void append_le(Bytes& out, uint64_t value, size_t size) {
  for (size_t i = 0; i < size; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

// Large resource item header (6.4.3): bit 7 set + item name, then the
// 16-bit length of the data that follows.
Bytes large_item(uint8_t item_name, uint16_t data_length) {
  Bytes out{static_cast<uint8_t>(0x80 | item_name)};
  append_le(out, data_length, 2);
  return out;
}

constexpr uint8_t kMemory32FixedItem = 0x06;
constexpr uint8_t kExtendedInterruptItem = 0x09;
constexpr uint8_t kQWordAddressItem = 0x0A;
// Small items (6.4.2): bits 6-3 item name, bits 2-0 data length.
constexpr uint8_t kIoPortTag = 0x08 << 3 | 7;
constexpr uint8_t kEndTag = 0x0F << 3 | 1;

}  // namespace

Bytes memory32_fixed(bool writable, uint32_t base, uint32_t length) {
  Bytes out = large_item(kMemory32FixedItem, 9);
  out.push_back(writable ? 1 : 0);  // bit 0: _RW
  append_le(out, base, 4);
  append_le(out, length, 4);
  return out;
}

Bytes qword_memory(bool writable, bool cacheable, uint64_t min, uint64_t length) {
  Bytes out = large_item(kQWordAddressItem, 43);
  out.push_back(0);  // resource type: memory range
  // General flags: bit 3 _MAF (max fixed), bit 2 _MIF (min fixed), bit 1
  // _DEC = 0 (positive decode), bit 0 consumer.
  out.push_back(0x0D);
  // Type-specific flags for memory: bits 2-1 _MEM (1 = cacheable), bit 0 _RW.
  out.push_back(static_cast<uint8_t>((cacheable ? 1 << 1 : 0) | (writable ? 1 : 0)));
  append_le(out, 0, 8);                 // _GRA: granularity
  append_le(out, min, 8);               // _MIN
  append_le(out, min + length - 1, 8);  // _MAX (callers pass non-empty, non-wrapping ranges)
  append_le(out, 0, 8);                 // _TRA: no translation
  append_le(out, length, 8);            // _LEN
  return out;
}

Bytes interrupt(InterruptFlags flags, uint32_t gsi) {
  Bytes out = large_item(kExtendedInterruptItem, 6);
  // Bit 3 _SHR, bit 2 _LL (active low), bit 1 _HE (edge), bit 0 consumer.
  out.push_back(static_cast<uint8_t>((flags.shared ? 1 << 3 : 0) | (flags.active_low ? 1 << 2 : 0) |
                                     (flags.edge_triggered ? 1 << 1 : 0) | 1));
  out.push_back(1);  // interrupt table length
  append_le(out, gsi, 4);
  return out;
}

Bytes io_port(uint16_t min, uint16_t max, uint8_t alignment, uint8_t length) {
  Bytes out{kIoPortTag, 1};  // information bit 0: 16-bit decode
  append_le(out, min, 2);
  append_le(out, max, 2);
  out.push_back(alignment);
  out.push_back(length);
  return out;
}

Result<Bytes> resource_template(const std::vector<Bytes>& descriptors) {
  Bytes data;
  for (const Bytes& descriptor : descriptors) op::append(data, descriptor);
  data.push_back(kEndTag);
  data.push_back(0);  // checksum 0: treated as correct (6.4.2.9)
  return buffer(data);
}

Bytes hid(const Bytes& id) { return name("_HID", id); }

Bytes uid(uint64_t value) { return name("_UID", integer(value)); }

Result<Bytes> crs(const std::vector<Bytes>& descriptors) {
  VMM_TRY_ASSIGN(Bytes resources, resource_template(descriptors));
  return name("_CRS", resources);
}

Result<Bytes> sta(uint8_t status) { return method("_STA", 0, false, {return_value(integer(status))}); }

Result<Bytes> s5(uint8_t sleep_type) {
  VMM_TRY_ASSIGN(Bytes types, package({integer(sleep_type), integer(sleep_type)}));
  return name("_S5_", types);
}

}  // namespace vmm::acpi::aml
