// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// virtio-net (VIRTIO 1.2 §5.1): creation, configuration space, lifecycle
// and the backend fd. Request processing is in net_tx.cpp and net_rx.cpp.
#include <sys/epoll.h>

#include <algorithm>

#include <vmm/base/bytes.hpp>
#include <vmm/virtio/net.hpp>

namespace vmm::virtio {

NetThrottle::~NetThrottle() = default;

NetDevice::NetDevice(Events events, std::unique_ptr<NetBackend> backend, MacAddress mac)
    : VirtioDevice({kQueueSize, kQueueSize}, std::move(events.queues), std::move(events.wake)),
      backend_(std::move(backend)),
      mac_(mac),
      tx_frame_(kMaxFrameSize),
      rx_frame_(kMaxFrameSize) {}

NetDevice::~NetDevice() = default;

Result<std::shared_ptr<NetDevice>> NetDevice::create(const NetOptions& options, std::string_view machine_name) {
  VMM_TRY_ASSIGN(std::unique_ptr<Tap> tap, Tap::open(options.tap));
  return create_with_backend(std::move(tap), options.mac.value_or(derive_mac(machine_name)));
}

Result<std::shared_ptr<NetDevice>> NetDevice::create_with_backend(std::unique_ptr<NetBackend> backend, MacAddress mac) {
  if (!backend) return Error(std::make_error_code(std::errc::invalid_argument), "virtio-net: no backend");
  VMM_TRY_ASSIGN(Events events, create_events(2));
  return std::shared_ptr<NetDevice>(new NetDevice(std::move(events), std::move(backend), mac));
}

NetCounters NetDevice::counters() const {
  std::lock_guard guard(lock());
  return counters_;
}

void NetDevice::set_throttle(NetThrottle* throttle) {
  std::lock_guard guard(lock());
  throttle_ = throttle;
}

// struct virtio_net_config (§5.1.4): mac[6]; le16 status; le16 max_virtqueue_pairs.
void NetDevice::read_config_locked(uint32_t offset, std::span<uint8_t> data) {
  std::array<uint8_t, kConfigSize> config{};
  std::copy(mac_.begin(), mac_.end(), config.begin());
  (void)store_le<uint16_t>(config, 6, kNetSLinkUp);  // the link is always up
  (void)store_le<uint16_t>(config, 8, 1);            // one queue pair (meaningful with F_MQ only)
  for (size_t i = 0; i < data.size(); ++i) {
    size_t at = offset + i;
    data[i] = at < config.size() ? config[at] : 0;
  }
}

// A frame that waited for an RX buffer belongs to the old driver instance.
void NetDevice::on_reset() { rx_pending_ = 0; }

void NetDevice::process_queue(size_t index) {
  if (index == kRxQueue) return receive();  // the driver added RX buffers: resume
  if (index == kTxQueue) return transmit();
}

// Edge-triggered: an event means "new frames arrived". Reading stops when
// the guest has no RX buffers (a level-triggered fd would then fire
// forever); receive() picks up again when the driver adds buffers.
Result<void> NetDevice::register_backend(EventLoop& loop) {
  VMM_TRY(loop.add(backend_->fd(), EPOLLIN | EPOLLET, *this));
  loop_ = &loop;
  return ok();
}

void NetDevice::unregister_backend(EventLoop& loop) {
  if (loop_ == nullptr) return;
  (void)loop.remove(backend_->fd());
  loop_ = nullptr;
}

void NetDevice::on_backend_event(int /*fd*/, uint32_t events) {
  if ((events & (EPOLLHUP | EPOLLERR)) != 0 && loop_ != nullptr) {
    // The peer is gone (socketpair) or the tap broke: stop watching it
    // instead of being called again at once; the guest sees a silent link.
    (void)loop_->remove(backend_->fd());
    loop_ = nullptr;
    return;
  }
  if (!active_locked() || failed()) return drop_inactive_frames();
  receive();
}

}  // namespace vmm::virtio
