// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Lays the tables out in the caller's window: RSDP first (ACPI 6.5,
// 5.2.5.1: on a 16-byte boundary in 0xE0000-0xFFFFF for legacy scans), then
// XSDT, FADT, MADT and DSDT, each 16-byte aligned.
#include <string>

#include <vmm/base/bytes.hpp>

#include "validate.hpp"

namespace vmm::acpi {
namespace {

constexpr uint64_t kRsdpSize = 36;
constexpr uint64_t kXsdtSize = 36 + 2 * 8;  // FADT and MADT
constexpr uint64_t kFadtSize = 276;

// Hands out consecutive 16-byte aligned addresses inside the window.
class Placer {
 public:
  Placer(uint64_t start, uint64_t end) : next_(start), end_(end) {}
  Result<uint64_t> place(const char* what, uint64_t size) {
    const uint64_t at = next_;
    const auto end = checked_add(at, size);
    if (!end || *end > end_)
      return Error(AcpiErrc::kWindowTooSmall,
                   std::string("ACPI ") + what + " (" + std::to_string(size) +
                       " bytes) does not fit the table window; make the window larger");
    next_ = align_up(*end, 16).value_or(end_);
    return at;
  }

 private:
  uint64_t next_;
  uint64_t end_;
};

}  // namespace

Result<AcpiTables> build_acpi_tables(const AcpiConfig& config) {
  VMM_TRY_ASSIGN(Bytes aml, build_dsdt_aml(config));  // validates the config
  VMM_TRY_ASSIGN(Bytes dsdt, build_dsdt(config.oem, aml));
  VMM_TRY_ASSIGN(Bytes madt, build_madt(config.oem, {config.vcpus, config.irq0_override, config.ioapic_id}));

  Placer placer(config.window_start.value(), config.window_start.value() + config.window_size);
  VMM_TRY_ASSIGN(uint64_t rsdp_at, placer.place("RSDP", kRsdpSize));
  VMM_TRY_ASSIGN(uint64_t xsdt_at, placer.place("XSDT", kXsdtSize));
  VMM_TRY_ASSIGN(uint64_t fadt_at, placer.place("FADT", kFadtSize));
  VMM_TRY_ASSIGN(uint64_t madt_at, placer.place("MADT", madt.size()));
  VMM_TRY_ASSIGN(uint64_t dsdt_at, placer.place("DSDT", dsdt.size()));

  FadtConfig fadt_config{dsdt_at, config.sleep_control, config.sleep_status, config.i8042, config.cmos_rtc};
  VMM_TRY_ASSIGN(Bytes fadt, build_fadt(config.oem, fadt_config));
  const uint64_t listed[] = {fadt_at, madt_at};
  VMM_TRY_ASSIGN(Bytes xsdt, build_xsdt(config.oem, listed));
  VMM_TRY_ASSIGN(Bytes rsdp, build_rsdp(config.oem, xsdt_at));

  AcpiTables tables{GuestAddress(rsdp_at), {}};
  tables.tables.push_back({"RSD PTR ", GuestAddress(rsdp_at), std::move(rsdp)});
  tables.tables.push_back({"XSDT", GuestAddress(xsdt_at), std::move(xsdt)});
  tables.tables.push_back({"FACP", GuestAddress(fadt_at), std::move(fadt)});
  tables.tables.push_back({"APIC", GuestAddress(madt_at), std::move(madt)});
  tables.tables.push_back({"DSDT", GuestAddress(dsdt_at), std::move(dsdt)});
  return tables;
}

Result<void> write_acpi_tables(GuestMemory& memory, const AcpiTables& tables) {
  for (const AcpiTable& table : tables.tables) {
    auto written = memory.write(table.address, table.bytes);
    if (!written) return std::move(written).error().with_context("writing ACPI table " + table.signature);
  }
  return ok();
}

}  // namespace vmm::acpi
