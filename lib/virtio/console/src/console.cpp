// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// virtio-console, single port (VIRTIO 1.2 §5.3).
#include <algorithm>
#include <cstring>

#include <vmm/virtio/console.hpp>

namespace vmm::virtio {

ConsoleDevice::ConsoleDevice(Events events, ByteSink& output)
    : VirtioDevice({kQueueSize, kQueueSize}, std::move(events.queues), std::move(events.wake)), output_(&output) {}

Result<std::shared_ptr<ConsoleDevice>> ConsoleDevice::create(ByteSink& output) {
  VMM_TRY_ASSIGN(Events events, create_events(2));
  return std::shared_ptr<ConsoleDevice>(new ConsoleDevice(std::move(events), output));
}

// Without F_SIZE, F_MULTIPORT and F_EMERG_WRITE every field is unused (§5.3.4): zeroes.
void ConsoleDevice::read_config_locked(uint32_t /*offset*/, std::span<uint8_t> data) {
  std::fill(data.begin(), data.end(), uint8_t{0});
}

size_t ConsoleDevice::send_input(std::span<const uint8_t> bytes) {
  size_t taken = 0;
  {
    std::lock_guard guard(input_mutex_);
    taken = std::min(bytes.size(), input_.size() - input_len_);
    std::copy_n(bytes.begin(), taken, input_.begin() + static_cast<std::ptrdiff_t>(input_len_));
    input_len_ += taken;
  }
  // The loop thread moves the bytes into receiveq buffers (process_queue).
  if (taken > 0) wake_loop();
  return taken;
}

bool ConsoleDevice::ready_for_input() const {
  std::lock_guard guard(lock());
  return active_locked() && !failed();
}

uint64_t ConsoleDevice::dropped_output() const {
  std::lock_guard guard(lock());
  return dropped_output_;
}

void ConsoleDevice::process_queue(size_t index) {
  if (index == kReceiveQueue) return receive();
  if (index == kTransmitQueue) return transmit();
}

// Host input into the receive queue: one chain per round while input waits
// (§5.3.6: each buffer gets as many bytes as fit).
void ConsoleDevice::receive() {
  // Without buffers the input stays pending until the driver adds some and notifies.
  serve_queue(
      kReceiveQueue, "virtio-console receiveq",
      [this](DescriptorChain& chain) -> std::optional<uint32_t> {
        auto buffers = chain.collect(memory());
        return buffers ? deliver_input(*buffers) : 0;
      },
      [this] {
        std::lock_guard guard(input_mutex_);
        return input_len_ > 0;
      });
}

// Bytes leave the pending buffer only once they are in guest RAM; a chain
// outside RAM gets nothing and the input waits for the next one.
uint32_t ConsoleDevice::deliver_input(const ChainBuffers& buffers) {
  std::lock_guard guard(input_mutex_);
  size_t len = std::min<size_t>(input_len_, buffers.writable_len);
  if (len == 0 || !write_writable(memory(), buffers, std::span(input_.data(), len))) return 0;
  std::memmove(input_.data(), input_.data() + len, input_len_ - len);
  input_len_ -= len;
  return static_cast<uint32_t>(len);
}

// Guest output to the sink (§5.3.6: transmitq buffers are device-readable).
void ConsoleDevice::transmit() {
  // The device writes nothing into a transmit buffer: used length 0 (§2.7.8).
  serve_queue(kTransmitQueue, "virtio-console transmitq", [this](DescriptorChain& chain) -> std::optional<uint32_t> {
    if (auto buffers = chain.collect(memory())) copy_output(*buffers);
    return 0;
  });
}

// Streams the readable part through a fixed piece buffer: no allocation, and
// output already sent stays sent if a later buffer turns out not to be RAM.
void ConsoleDevice::copy_output(const ChainBuffers& buffers) {
  ChainReader reader(memory(), buffers.readable);
  uint64_t budget = std::min<uint64_t>(reader.remaining(), kMaxOutputPerChain);
  dropped_output_ += reader.remaining() - budget;
  while (budget > 0) {
    size_t len = std::min<uint64_t>(budget, output_piece_.size());
    auto piece = std::span(output_piece_.data(), len);
    if (!reader.read(piece)) return;
    output_->write(piece);
    budget -= len;
  }
}

}  // namespace vmm::virtio
