// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Private helpers for the split-ring layout (VIRTIO 1.2 §2.7).
#pragma once

#include <bit>
#include <cstdint>
#include <string>

#include <vmm/base/error.hpp>
#include <vmm/virtio/error.hpp>

namespace vmm::virtio {

// Ring fields are little endian (§2.7, "le16"/"le32"/"le64"); we read and write
// them as host integers, which is only right on a little-endian host.
static_assert(std::endian::native == std::endian::little, "vmm::virtio assumes a little-endian host");

inline Error queue_error(QueueErrc code, const std::string& context) {
  return Error(make_error_code(code), context);
}

}  // namespace vmm::virtio
