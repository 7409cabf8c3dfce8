// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/base/error_category.hpp>
#include <vmm/virtio/block_error.hpp>

namespace vmm::virtio {
namespace {

const char* describe_block_error(int code) {
  switch (static_cast<BlockErrc>(code)) {
    case BlockErrc::kEmptyImage:
      return "block image is empty";
    case BlockErrc::kUnalignedImageSize:
      return "block image size is not a multiple of 512 bytes";
    case BlockErrc::kInvalidId:
      return "block device id must be at most 20 printable ASCII characters";
    case BlockErrc::kDirectIoUnsupported:
      return "the file system does not support direct I/O (O_DIRECT)";
  }
  return "unknown block device error";
}

}  // namespace

const std::error_category& block_category() noexcept {
  static const ErrorCategory kCategory("vmm.virtio.blk", describe_block_error);
  return kCategory;
}

}  // namespace vmm::virtio
