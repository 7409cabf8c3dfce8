// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// AML data objects, packages and statements (ACPI 6.5, 20.2).
#include <string>

#include "opcodes.hpp"

namespace vmm::acpi::aml {
namespace {

void append_le(Bytes& out, uint64_t value, size_t size) {
  for (size_t i = 0; i < size; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

// `prefix` PkgLength `body`: the PkgLength covers itself and the body,
// not the prefix opcode(s).
Result<Bytes> with_pkg_length(std::initializer_list<uint8_t> prefix, const Bytes& body) {
  VMM_TRY_ASSIGN(Bytes length, package_length_for(body.size()));
  Bytes out(prefix);
  op::append(out, length);
  op::append(out, body);
  return out;
}

Bytes concat(const std::vector<Bytes>& terms) {
  Bytes out;
  for (const Bytes& term : terms) op::append(out, term);
  return out;
}

}  // namespace

Result<Bytes> encode_pkg_length(uint32_t value) {
  if (value > kMaxPkgLength)
    return Error(AcpiErrc::kInvalidAml,
                 "AML package of " + std::to_string(value) + " bytes exceeds 2^28 - 1");
  if (value < 0x40) return Bytes{static_cast<uint8_t>(value)};
  const uint8_t follow = value < (1U << 12) ? 1 : value < (1U << 20) ? 2 : 3;
  Bytes out{static_cast<uint8_t>((follow << 6) | (value & 0x0F))};
  for (uint8_t i = 0; i < follow; ++i) out.push_back(static_cast<uint8_t>(value >> (4 + 8 * i)));
  return out;
}

Result<Bytes> package_length_for(size_t body_size) {
  // Lengths 1-4 can hold up to 2^6 - 1, 2^12 - 1, 2^20 - 1 and 2^28 - 1.
  for (size_t bytes = 1; bytes <= 4; ++bytes) {
    const size_t limit = bytes == 1 ? 0x3F : (size_t{1} << (4 + 8 * (bytes - 1))) - 1;
    if (body_size <= limit - bytes) return encode_pkg_length(static_cast<uint32_t>(body_size + bytes));
  }
  return Error(AcpiErrc::kInvalidAml,
               "AML package body of " + std::to_string(body_size) + " bytes is too large");
}

std::optional<DecodedPkgLength> decode_pkg_length(std::span<const uint8_t> bytes, size_t offset) {
  if (offset >= bytes.size()) return std::nullopt;
  const uint8_t lead = bytes[offset];
  const size_t follow = lead >> 6;
  if (follow == 0) return DecodedPkgLength{lead, 1};
  if ((lead & 0x30) != 0 || bytes.size() - offset - 1 < follow) return std::nullopt;  // bits 4-5 reserved
  uint32_t value = lead & 0x0F;
  for (size_t i = 0; i < follow; ++i) value |= uint32_t{bytes[offset + 1 + i]} << (4 + 8 * i);
  return DecodedPkgLength{value, follow + 1};
}

Bytes integer(uint64_t value) {
  if (value == 0) return {op::kZero};
  if (value == 1) return {op::kOne};
  Bytes out;
  if (value <= 0xFF) {
    out.push_back(op::kBytePrefix);
    append_le(out, value, 1);
  } else if (value <= 0xFFFF) {
    out.push_back(op::kWordPrefix);
    append_le(out, value, 2);
  } else if (value <= 0xFFFF'FFFF) {
    out.push_back(op::kDWordPrefix);
    append_le(out, value, 4);
  } else {
    out.push_back(op::kQWordPrefix);
    append_le(out, value, 8);
  }
  return out;
}

Result<Bytes> string(std::string_view text) {
  Bytes out{op::kStringPrefix};
  for (char c : text) {
    if (c <= 0 || static_cast<unsigned char>(c) > 0x7F)
      return Error(AcpiErrc::kInvalidAml, "AML string holds a character outside 0x01-0x7F");
    out.push_back(static_cast<uint8_t>(c));
  }
  out.push_back(0);  // NullChar
  return out;
}

Result<Bytes> eisa_id(std::string_view id) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  bool valid = id.size() == 7;
  for (size_t i = 0; valid && i < 7; ++i) valid = i < 3 ? (id[i] >= 'A' && id[i] <= 'Z') : hex(id[i]) >= 0;
  if (!valid)
    return Error(AcpiErrc::kInvalidAml,
                 "EISA id '" + std::string(id) + "' is not 3 letters and 4 hex digits");
  // Byte 0: letter 1 (bits 6-2) and the top 2 bits of letter 2; byte 1: the
  // low 3 bits of letter 2 and letter 3; bytes 2-3: the hex digits in order.
  const auto l1 = static_cast<uint32_t>(id[0] - '@'), l2 = static_cast<uint32_t>(id[1] - '@'),
             l3 = static_cast<uint32_t>(id[2] - '@');
  const uint32_t b0 = (l1 << 2) | (l2 >> 3), b1 = ((l2 & 7) << 5) | l3;
  const auto b2 = static_cast<uint32_t>(hex(id[3]) << 4 | hex(id[4]));
  const auto b3 = static_cast<uint32_t>(hex(id[5]) << 4 | hex(id[6]));
  Bytes out{op::kDWordPrefix};
  append_le(out, b0 | b1 << 8 | b2 << 16 | b3 << 24, 4);
  return out;
}

Result<Bytes> package(const std::vector<Bytes>& elements) {
  if (elements.size() > 255) return Error(AcpiErrc::kInvalidAml, "AML Package with more than 255 elements");
  Bytes body{static_cast<uint8_t>(elements.size())};
  op::append(body, concat(elements));
  return with_pkg_length({op::kPackage}, body);
}

Result<Bytes> buffer(std::span<const uint8_t> data) {
  Bytes body = integer(data.size());
  body.insert(body.end(), data.begin(), data.end());
  return with_pkg_length({op::kBuffer}, body);
}

Bytes name(NameSeg seg, const Bytes& object) {
  Bytes out{op::kName};
  op::append(out, seg);
  op::append(out, object);
  return out;
}

Result<Bytes> scope(const NameString& path, const std::vector<Bytes>& terms) {
  Bytes body = path.encoded();
  op::append(body, concat(terms));
  return with_pkg_length({op::kScope}, body);
}

Result<Bytes> device(NameSeg seg, const std::vector<Bytes>& terms) {
  Bytes body;
  op::append(body, seg);
  op::append(body, concat(terms));
  return with_pkg_length({op::kExtPrefix, op::kExtDevice}, body);
}

Result<Bytes> method(NameSeg seg, uint8_t arg_count, bool serialized, const std::vector<Bytes>& terms) {
  if (arg_count > 7) return Error(AcpiErrc::kInvalidAml, "AML Method with more than 7 arguments");
  Bytes body;
  op::append(body, seg);
  body.push_back(static_cast<uint8_t>(arg_count | (serialized ? 0x08 : 0)));
  op::append(body, concat(terms));
  return with_pkg_length({op::kMethod}, body);
}

Bytes return_value(const Bytes& value) {
  Bytes out{op::kReturn};
  op::append(out, value);
  return out;
}

Bytes notify(const NameString& object, const Bytes& value) {
  Bytes out{op::kNotify};
  op::append(out, object.encoded());
  op::append(out, value);
  return out;
}

Result<Bytes> if_then(const Bytes& predicate, const std::vector<Bytes>& terms) {
  Bytes body = predicate;
  op::append(body, concat(terms));
  return with_pkg_length({op::kIf}, body);
}

Bytes bit_and(const Bytes& left, const Bytes& right) {
  Bytes out{op::kAnd};
  op::append(out, left);
  op::append(out, right);
  out.push_back(op::kZero);  // Target := NullName: the result is not stored
  return out;
}

Bytes operation_region(NameSeg seg, RegionSpace space, uint64_t offset, uint64_t length) {
  Bytes out{op::kExtPrefix, op::kExtOpRegion};
  op::append(out, seg);
  out.push_back(static_cast<uint8_t>(space));
  op::append(out, integer(offset));
  op::append(out, integer(length));
  return out;
}

Result<Bytes> field(NameSeg region, FieldAccess access, const std::vector<FieldUnit>& units) {
  Bytes body;
  op::append(body, region);
  body.push_back(static_cast<uint8_t>(access));  // LockRule NoLock (bit 4), UpdateRule Preserve (bits 5-6)
  for (const FieldUnit& unit : units) {
    // NamedField := NameSeg PkgLength, the PkgLength holding the width in bits.
    op::append(body, unit.seg);
    VMM_TRY_ASSIGN(Bytes bits, encode_pkg_length(unit.bits));
    op::append(body, bits);
  }
  return with_pkg_length({op::kExtPrefix, op::kExtField}, body);
}

}  // namespace vmm::acpi::aml
