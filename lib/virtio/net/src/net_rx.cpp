// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// virtio-net receive path (VIRTIO 1.2 §5.1.6.3, §5.1.6.4): one frame per
// receiveq chain (no VIRTIO_NET_F_MRG_RXBUF), header first.
#include <algorithm>

#include <vmm/base/bytes.hpp>
#include <vmm/virtio/net.hpp>

namespace vmm::virtio {
namespace {

constexpr size_t kNumBuffersOffset = 10;  // le16 num_buffers in struct virtio_net_hdr_v1

}  // namespace

// Frames from the backend into RX buffers until the backend is empty, the
// guest has no buffers left (the frame then waits in rx_frame_ until the
// driver adds some and notifies: process_queue(kRxQueue)), or a ring's
// worth of frames was handled (the rest runs on wake).
void NetDevice::receive() {
  serve_queue(
      kRxQueue, "virtio-net receiveq",
      [this](DescriptorChain& chain) -> std::optional<uint32_t> {
        auto buffers = chain.collect(memory());
        uint32_t len = buffers ? deliver_frame(*buffers) : 0;
        if (len == 0) ++counters_.rx_dropped;
        rx_pending_ = 0;  // delivered, or dropped with its unusable chain
        return len;
      },
      [this] { return has_frame_to_deliver(); });
}

// A frame waits in rx_frame_ and the throttle lets it through. Malformed
// frames are dropped on the way, at most a ring's worth per call.
bool NetDevice::has_frame_to_deliver() {
  for (uint32_t dropped = 0; rx_pending_ == 0; ++dropped) {
    if (dropped == queue(kRxQueue).size() || !read_next_frame()) return false;
  }
  return throttle_ == nullptr || throttle_->admit_rx(rx_pending_);  // resume() retries
}

bool NetDevice::read_next_frame() {
  auto read = backend_->read_frame(rx_frame_);
  // Nothing there (EAGAIN), or the backend is broken: stop until the next
  // edge or notification. An empty read stops too, so it can never spin.
  if (!read || *read == 0) return false;
  if (*read < kHeaderSize || *read > rx_frame_.size()) {
    ++counters_.rx_dropped;  // malformed or cut short: never handed to the guest
    return true;
  }
  rx_pending_ = *read;
  return true;
}

// Writes the pending frame, with its header rewritten, into the chain's
// writable buffers; returns the used length (0: the frame does not fit or
// the buffers are not guest RAM, and the frame is dropped).
uint32_t NetDevice::deliver_frame(const ChainBuffers& buffers) {
  if (rx_pending_ > buffers.writable_len) return 0;
  auto frame = std::span(rx_frame_.data(), rx_pending_);
  // §5.1.6.4.1: without GUEST_CSUM / GUEST_TSO the device sets flags and
  // gso_type to 0 and hands over complete frames; without MRG_RXBUF it
  // sets num_buffers to 1. The tap fills these from its own view; overwrite them.
  std::fill_n(frame.begin(), kHeaderSize, uint8_t{0});
  (void)store_le<uint16_t>(frame, kNumBuffersOffset, 1);
  if (!write_writable(memory(), buffers, frame)) return 0;
  ++counters_.rx_frames;
  counters_.rx_bytes += frame.size() - kHeaderSize;
  return static_cast<uint32_t>(frame.size());
}

// Before DRIVER_OK (or after NEEDS_RESET) nobody can take frames: read
// and drop at most one ring's worth per event so the host queue does not
// hold stale traffic for the driver that comes next.
void NetDevice::drop_inactive_frames() {
  for (uint16_t dropped = 0; dropped < kQueueSize; ++dropped) {
    auto read = backend_->read_frame(rx_frame_);
    if (!read || *read == 0) return;
    ++counters_.rx_dropped;
  }
}

}  // namespace vmm::virtio
