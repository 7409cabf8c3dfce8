// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/arch/boot_params.hpp>

#include <cstddef>
#include <string>
#include <utility>

#include <vmm/arch/error.hpp>
#include <vmm/arch/layout.hpp>

namespace vmm::x86_64 {
namespace {

// boot.rst, "The Real-Mode Kernel Header".
constexpr uint16_t kBootFlag = 0xaa55;
constexpr uint32_t kHeaderMagic = 0x53726448;  // "HdrS"
constexpr uint8_t kLoaderUndefined = 0xff;     // type_of_loader: no assigned id
constexpr uint16_t kVidModeNormal = 0xffff;
constexpr uint32_t kElfKernelAlignment = 0x100'0000;  // CONFIG_PHYSICAL_ALIGN default, 16 MiB
constexpr uint32_t kPre206CmdlineMax = 255;           // cmdline_size before protocol 2.06
constexpr uint16_t kExtFieldsVersion = 0x020c;        // ext_ramdisk_*, ext_cmd_line_ptr

static_assert(sizeof(boot_params) == 4096);
static_assert(offsetof(boot_params, hdr) == 0x1f1);
static_assert(offsetof(boot_params, e820_entries) == 0x1e8);
static_assert(offsetof(boot_params, e820_table) == 0x2d0);
static_assert(offsetof(boot_params, ext_cmd_line_ptr) == 0x0c8);

setup_header elf_header(const BootParamsSpec& spec) {
  setup_header hdr{};
  hdr.boot_flag = kBootFlag;
  hdr.header = kHeaderMagic;
  hdr.version = kElfBootProtocolVersion;
  hdr.kernel_alignment = kElfKernelAlignment;
  hdr.cmdline_size = spec.cmdline_len;
  return hdr;
}

Result<setup_header> header_for(const BootParamsSpec& spec) {
  if (!spec.header) return elf_header(spec);
  if (spec.header->boot_flag != kBootFlag || spec.header->header != kHeaderMagic) {
    return Error(ArchErrc::kInvalidKernelHeader,
                 "boot_params: setup header lacks boot_flag 0xAA55 or \"HdrS\"");
  }
  return *spec.header;
}

Result<void> check_cmdline(const setup_header& hdr, uint32_t len) {
  uint32_t max = hdr.version >= 0x0206 ? hdr.cmdline_size : kPre206CmdlineMax;
  if (len > max) {
    return Error(ArchErrc::kCmdlineTooLong, "boot_params: command line of " + std::to_string(len) +
                                                " bytes, the kernel accepts " + std::to_string(max));
  }
  return ok();
}

// A 64-bit value as a 32-bit header field plus its ext_* high half, which
// only kernels with protocol 2.12+ read.
Result<std::pair<uint32_t, uint32_t>> split(uint64_t value, uint16_t version, const char* what) {
  auto high = static_cast<uint32_t>(value >> 32);
  if (high != 0 && version < kExtFieldsVersion) {
    return Error(ArchErrc::kAddressTooHigh,
                 std::string("boot_params: ") + what + " above 4 GiB needs boot protocol 2.12");
  }
  return std::pair{static_cast<uint32_t>(value), high};
}

Result<void> fill_initrd(boot_params& params, const InitrdRange& initrd) {
  VMM_TRY_ASSIGN(auto image, split(initrd.address.value(), params.hdr.version, "initrd address"));
  VMM_TRY_ASSIGN(auto size, split(initrd.size, params.hdr.version, "initrd size"));
  params.hdr.ramdisk_image = image.first;
  params.ext_ramdisk_image = image.second;
  params.hdr.ramdisk_size = size.first;
  params.ext_ramdisk_size = size.second;
  return ok();
}

Result<void> fill_e820(boot_params& params, std::span<const E820Entry> e820) {
  if (e820.size() > kMaxE820Entries) {
    return Error(ArchErrc::kTooManyMemoryMapEntries, "boot_params: " + std::to_string(e820.size()) +
                                                         " e820 entries, at most " +
                                                         std::to_string(kMaxE820Entries));
  }
  params.e820_entries = static_cast<uint8_t>(e820.size());
  for (size_t i = 0; i < e820.size(); ++i) {
    params.e820_table[i] = {e820[i].addr, e820[i].size, static_cast<uint32_t>(e820[i].type)};
  }
  return ok();
}

}  // namespace

Result<boot_params> build_boot_params(const BootParamsSpec& spec) {
  boot_params params{};
  VMM_TRY_ASSIGN(params.hdr, header_for(spec));
  VMM_TRY(check_cmdline(params.hdr, spec.cmdline_len));
  params.hdr.type_of_loader = kLoaderUndefined;
  params.hdr.vid_mode = kVidModeNormal;
  VMM_TRY_ASSIGN(auto cmdline, split(spec.cmdline.value(), params.hdr.version, "command line"));
  params.hdr.cmd_line_ptr = cmdline.first;
  params.ext_cmd_line_ptr = cmdline.second;
  if (spec.initrd) VMM_TRY(fill_initrd(params, *spec.initrd));
  VMM_TRY(fill_e820(params, spec.e820));
  if (spec.rsdp) params.acpi_rsdp_addr = spec.rsdp->value();
  return params;
}

Result<void> write_boot_params(GuestMemory& memory, const BootParamsSpec& spec) {
  VMM_TRY_ASSIGN(boot_params params, build_boot_params(spec));
  auto written = memory.write_obj(GuestAddress(kZeroPageStart), params);
  if (!written) return written.error().with_context("writing boot_params");
  return ok();
}

Result<void> write_cmdline(GuestMemory& memory, std::string_view text) {
  if (text.size() >= kCmdlineMaxSize) {
    return Error(ArchErrc::kCmdlineTooLong, "command line of " + std::to_string(text.size()) +
                                                " bytes, at most " + std::to_string(kCmdlineMaxSize - 1));
  }
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  auto written = memory.write(GuestAddress(kCmdlineStart), std::span(bytes, text.size()));
  if (written) written = memory.fill_zero(GuestAddress(kCmdlineStart + text.size()), 1);
  if (!written) return written.error().with_context("writing the command line");
  return ok();
}

}  // namespace vmm::x86_64
