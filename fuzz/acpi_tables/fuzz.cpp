// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// libFuzzer target: build_acpi_tables. Input: a flags byte, a vCPU count
// (2 bytes), device counts, then per device its address, size and IRQ (see
// make_config). Whenever the build succeeds, every table must have the
// right length and checksum and the DSDT's PkgLengths must nest exactly.
#include <cstdint>
#include <cstdlib>
#include <span>

#include <vmm/acpi/aml.hpp>
#include <vmm/acpi/tables.hpp>

namespace {

using vmm::acpi::Bytes;

// Reads little-endian integers from the input, zeros once it runs out.
class Reader {
 public:
  explicit Reader(std::span<const uint8_t> data) : data_(data) {}
  uint64_t take(size_t bytes) {
    uint64_t value = 0;
    for (size_t i = 0; i < bytes; ++i, ++pos_)
      if (pos_ < data_.size()) value |= uint64_t{data_[pos_]} << (8 * i);
    return value;
  }

 private:
  std::span<const uint8_t> data_;
  size_t pos_ = 0;
};

vmm::acpi::AcpiConfig make_config(Reader& in) {
  vmm::acpi::AcpiConfig config;
  const uint64_t flags = in.take(1);
  config.irq0_override = flags & 1;
  config.i8042 = flags & 2;
  config.vcpus = static_cast<uint32_t>(in.take(2));
  const size_t virtio = in.take(1) % 32, serial = in.take(1) % 8;
  for (size_t i = 0; i < virtio; ++i)
    config.virtio_mmio.push_back(
        {in.take(4) << (flags & 4 ? 12 : 0), in.take(2) << 4, static_cast<uint32_t>(in.take(1))});
  for (size_t i = 0; i < serial; ++i)
    config.serial_ports.push_back({static_cast<uint16_t>(in.take(2)), static_cast<uint32_t>(in.take(1))});
  if (flags & 8) config.power_button = vmm::acpi::PowerButton{in.take(4), static_cast<uint32_t>(in.take(1))};
  config.sleep_control.address = in.take(2);
  config.sleep_status.address = in.take(2);
  config.window_start = vmm::GuestAddress(in.take(4) << 4);
  config.window_size = in.take(3);
  return config;
}

uint8_t sum(std::span<const uint8_t> bytes) {
  uint8_t total = 0;
  for (uint8_t b : bytes) total = static_cast<uint8_t>(total + b);
  return total;
}

uint32_t le32(std::span<const uint8_t> bytes, size_t offset) {
  return uint32_t{bytes[offset]} | uint32_t{bytes[offset + 1]} << 8 | uint32_t{bytes[offset + 2]} << 16 |
         uint32_t{bytes[offset + 3]} << 24;
}

// Checks the PkgLength after `op_size` opcode bytes at `at`: it must end
// inside `aml`. Returns the package contents after the PkgLength.
std::span<const uint8_t> package_body(std::span<const uint8_t> aml, size_t at, size_t op_size) {
  auto length = vmm::acpi::aml::decode_pkg_length(aml, at + op_size);
  if (!length || length->value < length->encoded_size || at + op_size + length->value > aml.size()) abort();
  return aml.subspan(at + op_size + length->encoded_size, length->value - length->encoded_size);
}

size_t end_of(std::span<const uint8_t> aml, std::span<const uint8_t> body) {
  return static_cast<size_t>(body.data() + body.size() - aml.data());
}

// Skips a ComputationalData integer (ZeroOp, OneOp or a prefixed constant).
size_t skip_integer(std::span<const uint8_t> aml, size_t at) {
  if (at >= aml.size()) abort();
  switch (aml[at]) {
    case 0x00:
    case 0x01:
      return at + 1;
    case 0x0A:
      return at + 2;
    case 0x0B:
      return at + 3;
    case 0x0C:
      return at + 5;
    case 0x0E:
      return at + 9;
    default:
      abort();
  }
}

// Walks a TermList of the constructs build_dsdt_aml emits: every package
// must end inside its parent and its contents must parse to exactly its end.
void walk(std::span<const uint8_t> aml) {
  size_t at = 0;
  while (at < aml.size()) {
    const uint8_t op = aml[at];
    const uint8_t ext = at + 1 < aml.size() ? aml[at + 1] : 0;
    if (op == 0x10) {  // Scope: \_SB_ or a NameSeg, then terms
      const auto body = package_body(aml, at, 1);
      const size_t name = !body.empty() && body[0] == 0x5C ? 5 : 4;
      if (body.size() < name) abort();
      walk(body.subspan(name));
      at = end_of(aml, body);
    } else if (op == 0x5B && ext == 0x82) {  // Device: NameSeg, then terms
      const auto body = package_body(aml, at, 2);
      if (body.size() < 4) abort();
      walk(body.subspan(4));
      at = end_of(aml, body);
    } else if (op == 0x14) {  // Method: NameSeg, flags, then terms
      const auto body = package_body(aml, at, 1);
      if (body.size() < 5) abort();
      walk(body.subspan(5));
      at = end_of(aml, body);
    } else if (op == 0xA0 || (op == 0x5B && ext == 0x81)) {  // If, Field: bounded by their PkgLength
      at = end_of(aml, package_body(aml, at, op == 0xA0 ? 1 : 2));
    } else if (op == 0x5B && ext == 0x80) {  // OperationRegion: NameSeg, space, offset, length
      at = skip_integer(aml, skip_integer(aml, at + 2 + 4 + 1));
    } else if (op == 0x08) {  // Name: NameSeg and one data object
      at += 5;
      if (at >= aml.size()) abort();
      if (aml[at] == 0x11 || aml[at] == 0x12) {  // Buffer, Package
        at = end_of(aml, package_body(aml, at, 1));
      } else if (aml[at] == 0x0D) {  // String
        while (at < aml.size() && aml[at] != 0) ++at;
        ++at;
      } else {
        at = skip_integer(aml, at);
      }
    } else {
      abort();
    }
  }
  if (at != aml.size()) abort();
}

void check(const vmm::acpi::AcpiTables& tables, const vmm::acpi::AcpiConfig& config) {
  if (tables.tables.size() != 5 || tables.rsdp_address != config.window_start) abort();
  uint64_t end = config.window_start.value();
  for (const auto& table : tables.tables) {
    const std::span<const uint8_t> bytes = table.bytes;
    if (table.address.value() < end || sum(bytes) != 0) abort();
    end = table.address.value() + bytes.size();
    if (end > config.window_start.value() + config.window_size) abort();
    if (table.signature == "RSD PTR ") {
      if (bytes.size() != 36 || sum(bytes.first(20)) != 0 || le32(bytes, 20) != 36) abort();
      continue;
    }
    if (bytes.size() < 36 || le32(bytes, 4) != bytes.size()) abort();
    if (table.signature == "DSDT") walk(bytes.subspan(36));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Reader in(std::span(data, size));
  const vmm::acpi::AcpiConfig config = make_config(in);
  auto tables = vmm::acpi::build_acpi_tables(config);
  if (tables.ok()) check(*tables, config);
  return 0;
}
