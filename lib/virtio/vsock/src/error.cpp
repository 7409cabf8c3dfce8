// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/base/error_category.hpp>
#include <vmm/virtio/vsock_error.hpp>

namespace vmm::virtio {
namespace {

const char* describe_vsock_error(int code) {
  switch (static_cast<VsockErrc>(code)) {
    case VsockErrc::kInvalidGuestCid:
      return "vsock guest CID must be between 3 and 4294967294";
    case VsockErrc::kInvalidSocketPath:
      return "vsock unix socket path is empty or too long";
    case VsockErrc::kPathNotASocket:
      return "vsock unix socket path exists and is not a socket";
  }
  return "unknown vsock error";
}

}  // namespace

const std::error_category& vsock_category() noexcept {
  static const ErrorCategory kCategory("vmm.virtio.vsock", describe_vsock_error);
  return kCategory;
}

}  // namespace vmm::virtio
