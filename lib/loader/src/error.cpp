// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/base/error_category.hpp>
#include <vmm/loader/error.hpp>

namespace vmm {
namespace {

const char* describe_loader_error(int code) {
  switch (static_cast<LoaderErrc>(code)) {
    case LoaderErrc::kTruncated:
      return "image is truncated";
    case LoaderErrc::kBadMagic:
      return "bad magic number";
    case LoaderErrc::kUnsupported:
      return "unsupported kernel image";
    case LoaderErrc::kInvalidHeader:
      return "invalid kernel image header";
    case LoaderErrc::kInvalidNote:
      return "malformed ELF note";
    case LoaderErrc::kDoesNotFit:
      return "does not fit in guest RAM";
    case LoaderErrc::kUnknownFormat:
      return "unknown kernel image format";
    case LoaderErrc::kInvalidInitrd:
      return "invalid initrd";
    case LoaderErrc::kCmdlineTooLong:
      return "kernel command line too long";
    case LoaderErrc::kCmdlineInvalidChar:
      return "invalid character in kernel command line";
    case LoaderErrc::kCmdlineInvalidKey:
      return "invalid kernel command line key";
    case LoaderErrc::kCmdlineUnbalancedQuote:
      return "unbalanced quote in kernel command line";
  }
  return "unknown loader error";
}

}  // namespace

const std::error_category& loader_category() noexcept {
  static const ErrorCategory category("loader", describe_loader_error);
  return category;
}

}  // namespace vmm
