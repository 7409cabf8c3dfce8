// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/base/error_category.hpp>
#include <vmm/virtio/error.hpp>

namespace vmm::virtio {
namespace {

const char* describe_queue_error(int code) {
  switch (static_cast<QueueErrc>(code)) {
    case QueueErrc::kInvalidMaxSize:
      return "virtqueue maximum size must be a power of two between 1 and 32768";
    case QueueErrc::kInvalidSize:
      return "invalid virtqueue size";
    case QueueErrc::kMisalignedRing:
      return "misaligned virtqueue ring";
    case QueueErrc::kRingOutOfBounds:
      return "virtqueue ring outside guest RAM";
    case QueueErrc::kNotReady:
      return "virtqueue not ready";
    case QueueErrc::kAvailIndexTooFar:
      return "available ring index too far ahead";
    case QueueErrc::kInvalidDescriptorIndex:
      return "descriptor index out of range";
    case QueueErrc::kChainTooLong:
      return "descriptor chain too long (loop)";
    case QueueErrc::kChainTooLarge:
      return "descriptor chain larger than 4 GiB";
    case QueueErrc::kDescriptorWraps:
      return "descriptor buffer wraps the address space";
    case QueueErrc::kNestedIndirect:
      return "nested indirect descriptor table";
    case QueueErrc::kIndirectWithNext:
      return "indirect descriptor with the NEXT flag";
    case QueueErrc::kInvalidIndirectTable:
      return "invalid indirect descriptor table";
    case QueueErrc::kReadableAfterWritable:
      return "device-readable descriptor after a device-writable one";
    case QueueErrc::kShortBuffer:
      return "descriptor chain buffers too small";
  }
  return "unknown virtqueue error";
}

}  // namespace

const std::error_category& queue_category() noexcept {
  static const ErrorCategory kCategory("vmm.virtio.queue", describe_queue_error);
  return kCategory;
}

}  // namespace vmm::virtio
