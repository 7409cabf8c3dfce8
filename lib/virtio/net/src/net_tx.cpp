// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// virtio-net transmit path (VIRTIO 1.2 §5.1.6.2): each transmitq chain is
// one frame, header first, in its device-readable buffers.
#include <algorithm>

#include <vmm/virtio/net.hpp>

namespace vmm::virtio {

void NetDevice::transmit() {
  serve_queue(kTxQueue, "virtio-net transmitq", [this](DescriptorChain& chain) -> std::optional<uint32_t> {
    auto buffers = chain.collect(memory());
    if (!buffers) {
      ++counters_.tx_dropped;  // a chain that cannot be walked: complete it empty
      return 0;
    }
    // The throttle may hold the frame: the chain goes back until resume().
    if (!send_frame(*buffers)) return std::nullopt;
    // The device writes nothing into transmit buffers: used length 0 (§5.1.6.2.2).
    return 0;
  });
}

// Copies the frame into the bounce buffer, zeroes the header, hands it to
// the backend. Every failure drops the frame (returning true: the chain is
// done); only a throttle refusal returns false.
bool NetDevice::send_frame(const ChainBuffers& buffers) {
  // Hostile sizes: shorter than the header or larger than any real frame.
  if (buffers.readable_len < kHeaderSize || buffers.readable_len > kMaxFrameSize) {
    ++counters_.tx_dropped;
    return true;
  }
  if (throttle_ != nullptr && !throttle_->admit_tx(buffers.readable_len)) return false;
  auto frame = std::span(tx_frame_.data(), buffers.readable_len);
  ChainReader reader(memory(), buffers.readable);
  if (!reader.read(frame)) {
    ++counters_.tx_dropped;  // a buffer outside guest RAM
    return true;
  }
  // No checksum or GSO offload was offered (§5.1.6.2: flags and gso_type
  // must then be 0): zero the whole header instead of trusting the guest,
  // so the host never acts on a guest-chosen csum_start or gso_size.
  std::fill_n(frame.begin(), kHeaderSize, uint8_t{0});
  if (auto written = backend_->write_frame(frame); !written) {
    ++counters_.tx_dropped;  // EAGAIN: the host queue is full, drop like a NIC would
    return true;
  }
  ++counters_.tx_frames;
  counters_.tx_bytes += frame.size() - kHeaderSize;
  return true;
}

}  // namespace vmm::virtio
