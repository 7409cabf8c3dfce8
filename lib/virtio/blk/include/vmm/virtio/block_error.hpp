// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <system_error>

#include <vmm/base/export.hpp>

namespace vmm::virtio {

// Errors creating a block device (requests from the guest never produce
// these: they get a status byte).
enum class BlockErrc {
  kEmptyImage = 1,       // the image file has no sectors
  kUnalignedImageSize,   // the image size is not a multiple of 512 bytes
  kInvalidId,            // the serial is longer than 20 bytes or not printable ASCII
  kDirectIoUnsupported,  // O_DIRECT refused by the file system
};

VMM_API const std::error_category& block_category() noexcept;
inline std::error_code make_error_code(BlockErrc e) { return {static_cast<int>(e), block_category()}; }

}  // namespace vmm::virtio

template <>
struct std::is_error_code_enum<vmm::virtio::BlockErrc> : std::true_type {};
