// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// virtio-rng (VIRTIO 1.2 §5.4).
#include <sys/random.h>

#include <algorithm>
#include <array>
#include <cerrno>

#include <vmm/virtio/rng.hpp>

namespace vmm::virtio {
namespace {

// getrandom(2) answers requests of up to 256 bytes in full; larger ones may
// come back short, so entropy is fetched and copied piece by piece.
constexpr size_t kPieceSize = 4096;

}  // namespace

RngDevice::RngDevice(Events events)
    : VirtioDevice({kQueueSize}, std::move(events.queues), std::move(events.wake)) {}

Result<std::shared_ptr<RngDevice>> RngDevice::create() {
  VMM_TRY_ASSIGN(Events events, create_events(1));
  return std::shared_ptr<RngDevice>(new RngDevice(std::move(events)));
}

// §5.4.4: "no device-specific configuration"; the transport never asks for
// bytes of a zero-sized space, but answer zeroes if it does.
void RngDevice::read_config_locked(uint32_t /*offset*/, std::span<uint8_t> data) {
  std::fill(data.begin(), data.end(), uint8_t{0});
}

void RngDevice::process_queue(size_t index) {
  // A chain that cannot be walked is completed empty (§2.7.8) and the device goes on.
  serve_queue(index, "virtio-rng", [this](DescriptorChain& chain) -> std::optional<uint32_t> {
    auto buffers = chain.collect(memory());
    return buffers ? fill_with_entropy(*buffers) : 0;
  });
}

// §5.4.6.1: the driver gives device-writable buffers only; readable ones are
// ignored. A buffer outside guest RAM makes the whole request 0 bytes long.
uint32_t RngDevice::fill_with_entropy(const ChainBuffers& buffers) {
  ChainWriter writer(memory(), buffers.writable);
  const uint64_t wanted = std::min<uint64_t>(writer.remaining(), kMaxBytesPerRequest);
  std::array<uint8_t, kPieceSize> piece;
  while (writer.written() < wanted) {
    size_t len = std::min<uint64_t>(piece.size(), wanted - writer.written());
    ssize_t got = ::getrandom(piece.data(), len, 0);
    if (got <= 0) {
      if (got < 0 && errno == EINTR) continue;
      break;  // the host has no entropy to give: answer with what we have
    }
    if (!writer.write(std::span(piece.data(), static_cast<size_t>(got)))) return 0;
  }
  return writer.written();
}

}  // namespace vmm::virtio
