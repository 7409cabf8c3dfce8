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
  Queue& requests = queue(index);
  if (!requests.ready()) return;
  bool completed = false;
  // At most one queue's worth of chains per call: a driver that keeps
  // refilling the ring cannot hold the event loop (the rest runs on wake).
  for (uint32_t rounds = 0;; ++rounds) {
    if (rounds == requests.size()) {
      wake_loop();
      break;
    }
    auto popped = requests.pop(memory());
    if (!popped) {
      // kAvailIndexTooFar / kInvalidDescriptorIndex: the ring itself is
      // broken, only a reset helps (§2.1.2).
      if (completed) notify_used(index);
      return fail("virtio-rng: " + popped.error().message());
    }
    if (!popped->has_value()) {
      // Re-arm driver notifications (§2.7.10); buffers published meanwhile are served now.
      auto more = requests.enable_notification(memory());
      if (more && *more) continue;
      break;
    }
    DescriptorChain& chain = **popped;
    auto buffers = chain.collect(memory());
    // A chain that cannot be walked is completed empty (§2.7.8) and the device goes on.
    uint32_t written = buffers ? fill_with_entropy(*buffers) : 0;
    if (auto used = requests.add_used(memory(), chain.head(), written); !used) {
      if (completed) notify_used(index);
      return fail("virtio-rng: " + used.error().message());
    }
    completed = true;
  }
  if (completed) notify_used(index);
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
