// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>

#include <vmm/base/export.hpp>
#include <vmm/base/result.hpp>
#include <vmm/devices/sink.hpp>
#include <vmm/virtio/chain_io.hpp>
#include <vmm/virtio/device.hpp>

namespace vmm::virtio {

// virtio-console with a single port and no VIRTIO_CONSOLE_F_MULTIPORT
// (VIRTIO 1.2 §5.3): receiveq0 carries host input to the guest, transmitq0
// the guest's output, which goes to a ByteSink. No F_SIZE: cols and rows
// read as 0 and the guest keeps its default size.
//
// Memory stays bounded whatever either side does (the CVE-2020-27174
// class): output is copied to the sink in pieces of kOutputPieceSize, at
// most kMaxOutputPerChain bytes per chain; input waits in a fixed buffer of
// kInputCapacity bytes.
class VMM_API ConsoleDevice final : public VirtioDevice {
 public:
  static constexpr uint16_t kQueueSize = 256;
  static constexpr size_t kReceiveQueue = 0;   // receiveq0: host -> guest
  static constexpr size_t kTransmitQueue = 1;  // transmitq0: guest -> host
  static constexpr size_t kInputCapacity = 4096;
  static constexpr size_t kOutputPieceSize = 4096;
  // Linux writes at most 32 KiB per buffer; bytes of a chain beyond this are
  // dropped (and counted) so one chain costs bounded work.
  static constexpr uint32_t kMaxOutputPerChain = 64 * 1024;
  // struct virtio_console_config: cols, rows, max_nr_ports, emerg_wr (§5.3.4).
  static constexpr uint32_t kConfigSize = 12;

  // `output` must outlive the device; it is written on the event-loop thread.
  static Result<std::shared_ptr<ConsoleDevice>> create(ByteSink& output);

  [[nodiscard]] DeviceType type() const override { return DeviceType::kConsole; }
  [[nodiscard]] uint64_t features() const override { return kCommonFeatures; }
  [[nodiscard]] uint32_t config_size() const override { return kConfigSize; }

  // Host input, from any thread: takes as many bytes as fit in the pending
  // buffer and returns how many; the caller keeps the rest and offers it
  // again later (the contract of Serial16550::enqueue_input). Input given
  // before the driver is ready waits and is delivered after activation.
  size_t send_input(std::span<const uint8_t> bytes);
  // The driver has set the device up (DRIVER_OK) and not broken it.
  [[nodiscard]] bool ready_for_input() const;
  // Output bytes dropped beyond kMaxOutputPerChain.
  [[nodiscard]] uint64_t dropped_output() const;

 protected:
  void read_config_locked(uint32_t offset, std::span<uint8_t> data) override;
  void process_queue(size_t index) override;

 private:
  ConsoleDevice(Events events, ByteSink& output);
  void receive();
  void transmit();
  // Copies pending input into one receive chain; returns the used length.
  uint32_t deliver_input(const ChainBuffers& buffers);
  void copy_output(const ChainBuffers& buffers);
  // Completes `head` (false after failing the device).

  ByteSink* output_;
  std::array<uint8_t, kOutputPieceSize> output_piece_{};
  uint64_t dropped_output_ = 0;

  // Pending input: the only state send_input touches, under its own mutex
  // so the caller never waits for request processing. Lock order: device
  // lock, then input_mutex_.
  mutable std::mutex input_mutex_;
  std::array<uint8_t, kInputCapacity> input_{};
  size_t input_len_ = 0;
};

}  // namespace vmm::virtio
