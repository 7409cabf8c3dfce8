// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// bzImage loader for the Linux/x86 boot protocol
// (Documentation/arch/x86/boot.rst). Only the protected-mode kernel is
// loaded; it is entered through the 64-bit boot protocol at load + 0x200,
// so the real-mode setup code never runs.
#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <string>

#include <vmm/base/bytes.hpp>
#include <vmm/loader/kernel.hpp>

#include "bzimage_placement.hpp"
#include "image_format.hpp"
#include "text.hpp"

namespace vmm {
namespace {


static_assert(std::endian::native == std::endian::little, "setup_header is read with memcpy");

constexpr size_t kSetupHeaderOffset = 0x1f1;  // "The Real-Mode Kernel Header"
constexpr size_t kSignatureOffset = 0x202;
constexpr uint32_t kHdrS = 0x5372'6448;  // "HdrS"
constexpr uint16_t kBootFlag = 0xAA55;
constexpr uint16_t kMinProtocol = 0x0206;  // cmdline_size
constexpr uint16_t kProtocolXloadflags = 0x020c;
// A 2.06 header ends after cmdline_size; a shorter one is inconsistent.
constexpr size_t kMinHeaderEnd = 0x23c;
constexpr uint64_t kSectorSize = 512;
constexpr uint64_t kEntry64Offset = 0x200;  // "64-bit Boot Protocol"
// "Sample Boot Configuration": heap_end = 0xe000, heap_end_ptr = heap_end - 0x200.
constexpr uint16_t kHeapEndPtr = 0xe000 - 0x200;
constexpr uint8_t kUndefinedLoaderId = 0xff;  // type_of_loader: no assigned id

Error bz_error(LoaderErrc code, const std::string& what) { return Error(code, "bzImage: " + what); }

// "2.06" for 0x0206: (major << 8) + minor, minor printed in decimal.
std::string protocol_name(uint16_t version) {
  std::string minor = std::to_string(version & 0xff);
  if (minor.size() < 2) minor.insert(0, "0");
  return std::to_string(version >> 8) + "." + minor;
}

// One past the setup header: "0x0202 + byte value at offset 0x0201" (the
// jump's offset; "64-bit Boot Protocol"). The caller checked the image size.
size_t header_end(std::span<const uint8_t> image) { return kSignatureOffset + image[kSignatureOffset - 1]; }

// The setup header with the fields past its end zeroed: in an older kernel
// those bytes are setup code, not header.
setup_header truncated_header(std::span<const uint8_t> image) {
  const size_t end = std::min(header_end(image), kSetupHeaderOffset + sizeof(setup_header));
  std::array<uint8_t, sizeof(setup_header)> raw{};
  std::memcpy(raw.data(), image.data() + kSetupHeaderOffset, end - kSetupHeaderOffset);
  setup_header header;
  std::memcpy(&header, raw.data(), sizeof(header));
  return header;
}

Result<setup_header> read_setup_header(std::span<const uint8_t> image) {
  auto header = load_struct<setup_header>(image, kSetupHeaderOffset);
  if (!header) {
    return bz_error(LoaderErrc::kTruncated,
                    "image is " + std::to_string(image.size()) + " bytes, too small for the setup header");
  }
  if (header->boot_flag != kBootFlag) {
    return bz_error(LoaderErrc::kBadMagic, "boot_flag is " + hex(header->boot_flag) + ", not 0xaa55");
  }
  if (header->header != kHdrS) {
    return bz_error(LoaderErrc::kBadMagic,
                    "no \"HdrS\" signature at 0x202 (not a bzImage, or a pre-2.00 kernel)");
  }
  if (header->version < kMinProtocol) {
    return bz_error(LoaderErrc::kUnsupported, "boot protocol " + protocol_name(header->version) +
                                                  " is too old, 2.06 or newer is needed");
  }
  if (header_end(image) < kMinHeaderEnd) {
    return bz_error(LoaderErrc::kInvalidHeader, "the jump at 0x200 ends the setup header at " +
                                                    hex(header_end(image)) +
                                                    ", before the fields of protocol 2.06");
  }
  return truncated_header(image);
}

// What this loader needs beyond a well-formed header: a bzImage ("Loading
// The Rest of The Kernel": LOADED_HIGH) with a 64-bit entry (xloadflags).
Result<void> check_bootable(const setup_header& header) {
  if ((header.loadflags & LOADED_HIGH) == 0) {
    return bz_error(LoaderErrc::kUnsupported, "loadflags LOADED_HIGH is clear (a zImage loaded below 1 MiB)");
  }
  if (header.version < kProtocolXloadflags) {
    return bz_error(LoaderErrc::kUnsupported,
                    "boot protocol " + protocol_name(header.version) +
                        " has no xloadflags to announce a 64-bit entry point (2.12+ needed)");
  }
  if ((header.xloadflags & XLF_KERNEL_64) == 0) {
    return bz_error(LoaderErrc::kUnsupported, "no 64-bit entry point (xloadflags XLF_KERNEL_64 is clear)");
  }
  return ok();
}

// The protected-mode kernel: syssize 16-byte paragraphs starting at
// (setup_sects + 1) * 512 (setup_sects 0 means 4). Bytes after it (e.g. an
// appended signature) are not loaded.
Result<std::span<const uint8_t>> protected_mode_code(std::span<const uint8_t> image,
                                                     const setup_header& header) {
  const uint64_t setup_sects = header.setup_sects == 0 ? 4 : header.setup_sects;
  const uint64_t setup_size = (setup_sects + 1) * kSectorSize;
  if (setup_size >= image.size()) {
    return bz_error(LoaderErrc::kTruncated, "the setup code (" + std::to_string(setup_sects) +
                                                " sectors) fills the whole " + std::to_string(image.size()) +
                                                "-byte image");
  }
  const uint64_t code_size = uint64_t{header.syssize} * 16;
  if (code_size == 0) return bz_error(LoaderErrc::kInvalidHeader, "syssize is 0");
  if (code_size <= kEntry64Offset) {
    return bz_error(LoaderErrc::kInvalidHeader,
                    "syssize gives " + std::to_string(code_size) +
                        " bytes of protected-mode code, too few to hold the 64-bit entry at 0x200");
  }
  if (code_size > image.size() - setup_size) {
    return bz_error(LoaderErrc::kTruncated,
                    "syssize says " + std::to_string(code_size) + " bytes of protected-mode code, but only " +
                        std::to_string(image.size() - setup_size) + " follow the setup");
  }
  return image.subspan(setup_size, code_size);
}

// The obligatory fields a boot loader writes ("Details of Header Fields");
// cmd_line_ptr and the ramdisk fields are the caller's.
void set_loader_fields(setup_header& header, GuestAddress load) {
  header.type_of_loader = kUndefinedLoaderId;
  header.code32_start = static_cast<uint32_t>(load.value());  // below 4 GiB (placement)
  header.heap_end_ptr = kHeapEndPtr;
  header.loadflags |= CAN_USE_HEAP;
}

}  // namespace

bool has_bzimage_signature(std::span<const uint8_t> image) {
  return load_le<uint32_t>(image, kSignatureOffset) == kHdrS;
}

Result<LoadedKernel> load_bzimage(GuestMemory& memory, std::span<const uint8_t> image) {
  VMM_TRY_ASSIGN(setup_header header, read_setup_header(image));
  VMM_TRY(check_bootable(header));
  VMM_TRY_ASSIGN(const std::span<const uint8_t> code, protected_mode_code(image, header));
  // "init_size": memory the kernel needs from its runtime start, which is
  // the load address (aligned or pref_address, see the placement).
  const uint64_t init_size = header.version >= kProtocolInitSize ? header.init_size : 0;
  const uint64_t window = std::max<uint64_t>(init_size, code.size());
  VMM_TRY_ASSIGN(const GuestAddress load, choose_bzimage_load_address(memory, header, window));
  VMM_TRY(memory.write(load, code));
  set_loader_fields(header, load);

  LoadedKernel kernel;
  kernel.format = LoadedKernel::Format::kBzImage;
  kernel.load_address = load;
  kernel.end = load.unchecked_add(window);
  kernel.entry64 = load.unchecked_add(kEntry64Offset);
  kernel.header = header;
  return kernel;
}

}  // namespace vmm
