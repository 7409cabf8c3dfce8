// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// The virtqueue side of virtio-vsock (VIRTIO 1.2 §5.10): tx chains become
// packets for the muxer, the muxer's packets fill rx chains. Every chain
// error completes that chain and the next one is served; only ring-level
// breakage needs a reset (§2.1.2).
#include <vmm/base/bytes.hpp>
#include <vmm/virtio/vsock.hpp>

#include "muxer.hpp"

namespace vmm::virtio {

Result<std::shared_ptr<VsockDevice>> VsockDevice::create(const VsockOptions& options) {
  if (options.guest_cid < kVsockMinGuestCid || options.guest_cid > kVsockMaxGuestCid)
    return Error(VsockErrc::kInvalidGuestCid, "guest_cid " + std::to_string(options.guest_cid));
  VMM_TRY_ASSIGN(auto muxer, VsockMuxer::create(options));
  VMM_TRY_ASSIGN(Events events, create_events(3));
  return std::shared_ptr<VsockDevice>(new VsockDevice(std::move(events), options.guest_cid, std::move(muxer)));
}

VsockDevice::VsockDevice(Events events, uint64_t guest_cid, std::unique_ptr<VsockMuxer> muxer)
    : VirtioDevice({kQueueSize, kQueueSize, kQueueSize}, std::move(events.queues), std::move(events.wake)),
      guest_cid_(guest_cid),
      muxer_(std::move(muxer)) {}

VsockDevice::~VsockDevice() = default;

size_t VsockDevice::connection_count() const {
  std::lock_guard guard(lock());
  return muxer_->connection_count();
}

void VsockDevice::read_config_locked(uint32_t offset, std::span<uint8_t> data) {
  std::array<uint8_t, 8> config{};
  (void)store_le<uint64_t>(config, 0, guest_cid_);
  for (size_t i = 0; i < data.size(); ++i) data[i] = offset + i < config.size() ? config[offset + i] : 0;
}

// Driver reset: every connection is closed (the guest forgot them all).
void VsockDevice::on_reset() { muxer_->reset(); }

void VsockDevice::process_queue(size_t index) {
  if (index == kTxQueue) return process_tx();
  if (index == kRxQueue) return process_rx();
  // The event queue's buffers are only held: we send no events (§5.10.6.6).
}

Result<void> VsockDevice::register_backend(EventLoop& loop) { return muxer_->attach(loop, *this); }

void VsockDevice::unregister_backend(EventLoop& /*loop*/) { muxer_->detach(); }

void VsockDevice::on_backend_event(int fd, uint32_t events) {
  muxer_->on_host_event(fd, events);
  if (active_locked() && !failed()) process_rx();
}

// Every tx chain is one packet for the muxer; the device writes nothing
// into tx buffers (§5.10.6.1). A chain that cannot be walked is dropped.
void VsockDevice::process_tx() {
  serve_queue(kTxQueue, "vsock tx queue", [this](DescriptorChain& chain) -> std::optional<uint32_t> {
    auto buffers = chain.collect(memory());
    if (buffers) {
      ChainReader reader(memory(), buffers->readable);
      std::array<uint8_t, kVsockHeaderSize> bytes{};
      if (reader.read(bytes)) muxer_->on_guest_packet(decode_vsock_header(bytes), reader);
    }
    return 0;
  });
  if (!failed()) process_rx();
}

// Packets for the guest while the muxer has some and the driver gives rx
// buffers; without buffers the packets wait for its notification.
void VsockDevice::process_rx() {
  serve_queue(
      kRxQueue, "vsock rx queue",
      [this](DescriptorChain& chain) -> std::optional<uint32_t> {
        auto buffers = chain.collect(memory());
        if (!buffers || buffers->writable_len < kVsockHeaderSize) return 0;
        ChainWriter writer(memory(), buffers->writable);
        auto written = muxer_->write_packet_for_guest(writer);
        return written ? *written : 0;
      },
      [this] { return muxer_->has_packet_for_guest(); });
}

}  // namespace vmm::virtio
