// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <vmm/base/event_fd.hpp>
#include <vmm/base/export.hpp>
#include <vmm/base/result.hpp>
#include <vmm/event/event_loop.hpp>
#include <vmm/memory/guest_memory.hpp>
#include <vmm/virtio/queue.hpp>

namespace vmm::virtio {

// Device IDs (VIRTIO 1.2 §5).
enum class DeviceType : uint32_t {
  kNet = 1,
  kBlock = 2,
  kConsole = 3,
  kRng = 4,
  kVsock = 19,
};

// Reserved feature bits (§6) every device may offer.
inline constexpr uint64_t kFRingIndirectDesc = uint64_t{1} << 28;  // VIRTIO_F_INDIRECT_DESC
inline constexpr uint64_t kFRingEventIdx = uint64_t{1} << 29;      // VIRTIO_F_EVENT_IDX
inline constexpr uint64_t kFVersion1 = uint64_t{1} << 32;          // VIRTIO_F_VERSION_1
// What every vmmkit device offers on top of its own bits.
inline constexpr uint64_t kCommonFeatures = kFVersion1 | kFRingIndirectDesc | kFRingEventIdx;

// How a device reaches the driver; the transport implements it (virtio-mmio:
// InterruptStatus bits and the device's interrupt line). Called from the
// device's event-loop thread with the device lock held: cheap, never blocks,
// never calls back into the device.
class VMM_API DeviceSignals {
 public:
  virtual ~DeviceSignals();
  // Used buffers were added to a queue (§2.7.8): "used buffer notification".
  virtual void used_buffers() = 0;
  // The device configuration space changed (§2.4.5 "configuration change notification").
  virtual void config_changed() = 0;
  // The device hit an error it cannot recover from without a reset (§2.1.2):
  // the transport sets DEVICE_NEEDS_RESET and notifies a configuration change.
  virtual void needs_reset() = 0;
};

// The device side of a virtio device, independent of the transport (like
// rust-vmm's VirtioDevice trait). The transport owns the driver-facing
// registers and the queue configuration until the driver sets DRIVER_OK;
// then it hands validated Queue objects to activate(), and the device owns
// them until reset().
//
// Threading: the transport calls activate()/reset()/read_config()/
// write_config() from vCPU threads; the event loop given to attach_to()
// runs all request processing (on_event). One mutex per device serializes
// the two; request processing never runs on a vCPU thread.
//
// Queue notifications arrive on one EventFd per queue (queue_event()): the
// VMM registers them as KVM ioeventfds on the QueueNotify register, and a
// transport without ioeventfd writes them itself.
class VMM_API VirtioDevice : public EventSubscriber {
 public:
  ~VirtioDevice() override;
  VirtioDevice(const VirtioDevice&) = delete;
  VirtioDevice& operator=(const VirtioDevice&) = delete;

  [[nodiscard]] virtual DeviceType type() const = 0;
  // Offered feature bits, kCommonFeatures included.
  [[nodiscard]] virtual uint64_t features() const = 0;
  // Size of the device-specific configuration space in bytes.
  [[nodiscard]] virtual uint32_t config_size() const = 0;
  // Reads/writes the configuration space; the transport guarantees
  // offset + data.size() <= config_size().
  void read_config(uint32_t offset, std::span<uint8_t> data);
  void write_config(uint32_t offset, std::span<const uint8_t> data);

  [[nodiscard]] size_t num_queues() const { return queue_max_sizes_.size(); }
  [[nodiscard]] uint16_t queue_max_size(size_t index) const { return queue_max_sizes_[index]; }
  [[nodiscard]] const EventFd& queue_event(size_t index) const { return queue_events_[index]; }

  // Registers the queue events and the device's backend fds with `loop`,
  // whose thread then processes the device's requests. Once, before the
  // guest runs; the loop must outlive the device's registration (detach_from).
  Result<void> attach_to(EventLoop& loop);
  void detach_from(EventLoop& loop);

  // DRIVER_OK: `queues` (one per queue, validated and ready or not ready)
  // become the device's, with the features the driver accepted. Wakes the
  // event loop to process anything already queued.
  Result<void> activate(GuestMemory& memory, std::vector<Queue> queues, uint64_t acked_features,
                        DeviceSignals& signals);
  // Driver reset (status 0): in-flight work is dropped, queues forgotten.
  void reset();
  [[nodiscard]] bool active() const;
  // Why the device entered DEVICE_NEEDS_RESET (empty if it did not).
  [[nodiscard]] std::string failure() const;

  // EventSubscriber: a queue event, the wake-up event or a backend fd.
  void on_event(int fd, uint32_t events) final;

 protected:
  // queue_max_sizes: one entry per queue, each a power of two.
  explicit VirtioDevice(std::vector<uint16_t> queue_max_sizes, std::vector<EventFd> queue_events, EventFd wake);
  // Builds the per-queue EventFds and the wake EventFd a constructor needs.
  struct Events {
    std::vector<EventFd> queues;
    EventFd wake;
  };
  static Result<Events> create_events(size_t num_queues);

  // --- hooks, all called with the device lock held ---
  virtual void read_config_locked(uint32_t offset, std::span<uint8_t> data) = 0;
  virtual void write_config_locked(uint32_t /*offset*/, std::span<const uint8_t> /*data*/) {}
  // After the device became active: check negotiated features etc.
  virtual Result<void> on_activate() { return ok(); }
  // Before the queues are dropped on reset (cancel backend work).
  virtual void on_reset() {}
  // The driver notified queue `index` (or the device was just activated:
  // then every queue is processed once). Only while active.
  virtual void process_queue(size_t index) = 0;
  // Backend fds (tap, sockets, timers): registered by register_backend,
  // delivered to on_backend_event while active or not (the device decides).
  virtual Result<void> register_backend(EventLoop& /*loop*/) { return ok(); }
  virtual void unregister_backend(EventLoop& /*loop*/) {}
  virtual void on_backend_event(int /*fd*/, uint32_t /*events*/) {}

  // --- for the hooks ---
  [[nodiscard]] GuestMemory& memory() { return *memory_; }
  [[nodiscard]] Queue& queue(size_t index) { return queues_[index]; }
  [[nodiscard]] uint64_t acked_features() const { return acked_features_; }
  [[nodiscard]] bool active_locked() const { return memory_ != nullptr; }
  // Notifies the driver if queue `index` wants it (EVENT_IDX / NO_INTERRUPT rules).
  void notify_used(size_t index);

  // How serve_queue() stopped.
  enum class QueueStop {
    kEmpty,        // no more chains; driver notifications re-armed (§2.7.10)
    kIdle,         // has_work() said there is nothing to do
    kDeferred,     // the handler put a chain back (rate limit, nothing to deliver yet)
    kBudgetSpent,  // a ring's worth of chains was served; the loop is woken for the rest
    kBroken,       // the ring is broken or the handler failed the device (NEEDS_RESET)
  };
  // One chain's answer: the used length to return it with (§2.7.8), or
  // std::nullopt to put it back unused and stop until the device is woken.
  using ChainHandler = std::function<std::optional<uint32_t>(DescriptorChain& chain)>;
  // The one loop every device serves its queues with: pops available
  // chains of queue `index` while has_work() (when given) holds and hands
  // each to `handle`; at most one ring's worth per call; when the ring is
  // empty it re-arms notifications (avail_event with EVENT_IDX) and serves
  // what slipped in meanwhile; a broken ring fails the device with `what`
  // in the message; notifies the driver once if anything was used.
  QueueStop serve_queue(size_t index, std::string_view what, const ChainHandler& handle,
                        const std::function<bool()>& has_work = {});
  // The driver broke the device: NEEDS_RESET, stop processing until reset.
  void fail(const std::string& why);
  [[nodiscard]] DeviceSignals* signals() { return signals_; }
  [[nodiscard]] bool failed() const { return failed_; }
  // Runs process_queue(index) later on the loop thread (e.g. when a rate
  // limiter refills): wakes the loop, which processes every queue.
  void wake_loop() const { (void)wake_.write(1); }
  [[nodiscard]] std::mutex& lock() const { return mutex_; }

 private:
  std::vector<uint16_t> queue_max_sizes_;
  std::vector<EventFd> queue_events_;
  EventFd wake_;
  mutable std::mutex mutex_;
  GuestMemory* memory_ = nullptr;  // set while active
  std::vector<Queue> queues_;
  uint64_t acked_features_ = 0;
  DeviceSignals* signals_ = nullptr;
  bool failed_ = false;
  std::string failure_;
};

}  // namespace vmm::virtio
