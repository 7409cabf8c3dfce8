// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <system_error>

#include <vmm/base/export.hpp>

namespace vmm {

enum class LoaderErrc {
  kTruncated = 1,           // the image ends before a header, table or segment it describes
  kBadMagic,                // not an ELF / bzImage (magic number or signature missing)
  kUnsupported,             // a valid image this loader cannot boot (class, machine, protocol version)
  kInvalidHeader,           // inconsistent header fields (sizes, alignment, entry point)
  kInvalidNote,             // a malformed ELF note in a PT_NOTE segment
  kDoesNotFit,              // a segment, the kernel window or the initrd is outside guest RAM
  kUnknownFormat,           // load_kernel: neither an ELF vmlinux nor a bzImage
  kInvalidInitrd,           // an empty initrd
  kCmdlineTooLong,          // the command line would exceed its capacity
  kCmdlineInvalidChar,      // a byte that is not printable ASCII, or a quote inside a value
  kCmdlineInvalidKey,       // an empty key, or one with a space, '=' or quote
  kCmdlineUnbalancedQuote,  // an odd number of '"' (the kernel would merge the following arguments)
};

VMM_API const std::error_category& loader_category() noexcept;
inline std::error_code make_error_code(LoaderErrc e) { return {static_cast<int>(e), loader_category()}; }

}  // namespace vmm

template <>
struct std::is_error_code_enum<vmm::LoaderErrc> : std::true_type {};
