// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include <vmm/acpi/error.hpp>
#include <vmm/base/export.hpp>
#include <vmm/base/result.hpp>

// A small AML encoder (ACPI 6.5, 20 "ACPI Machine Language Specification"):
// functions that return the encoded bytes of one construct, composed by
// passing the bytes of the inner constructs. Constructs with a PkgLength
// return Result because the encoding caps a package at 2^28 - 1 bytes.
namespace vmm::acpi::aml {

using Bytes = std::vector<uint8_t>;

// --- PkgLength (20.2.4) ---------------------------------------------------
inline constexpr uint32_t kMaxPkgLength = (1U << 28) - 1;
// Encodes `value` as-is in 1-4 bytes: below 64 in one byte (bits 0-5);
// otherwise bits 6-7 of the lead byte count the bytes that follow, its bits
// 0-3 hold the low nibble and each following byte the next 8 bits.
VMM_API Result<Bytes> encode_pkg_length(uint32_t value);
// PkgLength of a package whose body is `body_size` bytes: the value counts
// its own bytes, so the encoding size is chosen to include itself.
VMM_API Result<Bytes> package_length_for(size_t body_size);
// Decodes a PkgLength at `offset` (bounds-checked, for tests and fuzzers).
struct DecodedPkgLength {
  uint32_t value = 0;  // as encoded (includes the PkgLength bytes)
  size_t encoded_size = 0;
};
VMM_API std::optional<DecodedPkgLength> decode_pkg_length(std::span<const uint8_t> bytes, size_t offset);

// --- Names (20.2.2) -------------------------------------------------------
namespace name_rules {
// Called only when a NameSeg literal is invalid: not constexpr, so the
// consteval constructor below fails to compile with this name in the error.
inline void name_seg_must_be_4_chars_of_A_to_Z_0_to_9_or_underscore_not_starting_with_a_digit() {}
constexpr bool valid_name_char(char c, bool lead) {
  return (c >= 'A' && c <= 'Z') || c == '_' || (!lead && c >= '0' && c <= '9');
}
}  // namespace name_rules

// NameSeg := <LeadNameChar NameChar NameChar NameChar>; shorter names are
// padded with '_' (as ASL does: "_SB" is "_SB_").
class VMM_API NameSeg {
 public:
  template <size_t N>
  requires(N >= 2 &&
           N <= 5) consteval NameSeg(const char (&text)[N]) {  // NOLINT: implicit from literals by design
    if (!from(std::string_view(text, N - 1), chars_))
      name_rules::name_seg_must_be_4_chars_of_A_to_Z_0_to_9_or_underscore_not_starting_with_a_digit();
  }
  static std::optional<NameSeg> parse(std::string_view text);
  [[nodiscard]] const std::array<char, 4>& chars() const { return chars_; }

 private:
  NameSeg() = default;
  static constexpr bool from(std::string_view text, std::array<char, 4>& out) {
    if (text.empty() || text.size() > 4) return false;
    out = {'_', '_', '_', '_'};
    for (size_t i = 0; i < text.size(); ++i) {
      if (!name_rules::valid_name_char(text[i], i == 0)) return false;
      out[i] = text[i];
    }
    return true;
  }
  std::array<char, 4> chars_{};
};

// NameString := a NamePath of segments joined by '.', optionally rooted
// ("\\_SB.PWRB") or relative to parents ("^^PWRB").
class VMM_API NameString {
 public:
  NameString(NameSeg seg);  // NOLINT: implicit, a NameSeg is a one-segment NameString
  static Result<NameString> parse(std::string_view path);
  [[nodiscard]] const Bytes& encoded() const { return encoded_; }

 private:
  NameString() = default;
  Bytes encoded_;
};

// --- Data objects (20.2.3) ------------------------------------------------
// The shortest encoding: ZeroOp, OneOp, BytePrefix, WordPrefix, DWordPrefix or QWordPrefix.
VMM_API Bytes integer(uint64_t value);
// StringPrefix AsciiCharList NullChar; characters 0x01-0x7F only.
VMM_API Result<Bytes> string(std::string_view text);
// EISAID("PNP0501"): three letters (5 bits each, 'A' = 1) and four hex digits
// compressed into a DWord, always encoded with DWordPrefix (ACPI 6.5, 6.1.5).
VMM_API Result<Bytes> eisa_id(std::string_view id);
// PackageOp PkgLength NumElements PackageElementList (at most 255 elements).
VMM_API Result<Bytes> package(const std::vector<Bytes>& elements);
// BufferOp PkgLength BufferSize ByteList.
VMM_API Result<Bytes> buffer(std::span<const uint8_t> data);

// --- Named objects and statements (20.2.5) --------------------------------
VMM_API Bytes name(NameSeg seg, const Bytes& object);
VMM_API Result<Bytes> scope(const NameString& path, const std::vector<Bytes>& terms);
VMM_API Result<Bytes> device(NameSeg seg, const std::vector<Bytes>& terms);
// MethodFlags: bits 0-2 ArgCount (0-7), bit 3 SerializeFlag, SyncLevel 0.
VMM_API Result<Bytes> method(NameSeg seg, uint8_t arg_count, bool serialized,
                             const std::vector<Bytes>& terms);
VMM_API Bytes return_value(const Bytes& value);
VMM_API Bytes notify(const NameString& object, const Bytes& value);
VMM_API Result<Bytes> if_then(const Bytes& predicate, const std::vector<Bytes>& terms);
// AndOp Operand Operand Target, with no target (NullName).
VMM_API Bytes bit_and(const Bytes& left, const Bytes& right);

enum class RegionSpace : uint8_t { kSystemMemory = 0, kSystemIo = 1 };
VMM_API Bytes operation_region(NameSeg seg, RegionSpace space, uint64_t offset, uint64_t length);
enum class FieldAccess : uint8_t { kAny = 0, kByte = 1, kWord = 2, kDWord = 3, kQWord = 4 };
struct FieldUnit {
  NameSeg seg;
  uint32_t bits = 0;
};
// FieldOp PkgLength NameString FieldFlags FieldList; NoLock, Preserve.
VMM_API Result<Bytes> field(NameSeg region, FieldAccess access, const std::vector<FieldUnit>& units);

// --- Resource descriptors (6.4) -------------------------------------------
// Memory32Fixed (6.4.3.4): large item 0x86.
VMM_API Bytes memory32_fixed(bool writable, uint32_t base, uint32_t length);
// QWord address space descriptor for memory (6.4.3.5.1), fixed min and max,
// positive decode, resource consumer.
VMM_API Bytes qword_memory(bool writable, bool cacheable, uint64_t min, uint64_t length);
struct InterruptFlags {
  bool edge_triggered = true;
  bool active_low = false;
  bool shared = false;
};
// Extended interrupt descriptor (6.4.3.6) of one GSI, resource consumer.
VMM_API Bytes interrupt(InterruptFlags flags, uint32_t gsi);
// I/O port descriptor (6.4.2.5), 16-bit decode.
VMM_API Bytes io_port(uint16_t min, uint16_t max, uint8_t alignment, uint8_t length);
// ResourceTemplate: a Buffer of the descriptors and an end tag (6.4.2.9)
// whose checksum byte is 0 ("treat as if the checksum is correct").
VMM_API Result<Bytes> resource_template(const std::vector<Bytes>& descriptors);

// --- Predefined objects (6.1, 6.2, 6.3, 7.4.2) -----------------------------
VMM_API Bytes hid(const Bytes& id);                                // Name(_HID, id): string or EISAID
VMM_API Bytes uid(uint64_t value);                                 // Name(_UID, value)
VMM_API Result<Bytes> crs(const std::vector<Bytes>& descriptors);  // Name(_CRS, ResourceTemplate)
// Method(_STA) { Return(status) }; 0x0F = present, enabled, shown, functioning.
VMM_API Result<Bytes> sta(uint8_t status = 0x0F);
// Name(_S5_, Package() { SLP_TYPa, SLP_TYPb }) (7.4.2.6 System \_S5 state).
VMM_API Result<Bytes> s5(uint8_t sleep_type);

}  // namespace vmm::acpi::aml
