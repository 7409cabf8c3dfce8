// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/virtio/device.hpp>

namespace vmm::virtio {

DeviceSignals::~DeviceSignals() = default;
VirtioDevice::~VirtioDevice() = default;

VirtioDevice::VirtioDevice(std::vector<uint16_t> queue_max_sizes, std::vector<EventFd> queue_events, EventFd wake)
    : queue_max_sizes_(std::move(queue_max_sizes)), queue_events_(std::move(queue_events)), wake_(std::move(wake)) {}

Result<VirtioDevice::Events> VirtioDevice::create_events(size_t num_queues) {
  std::vector<EventFd> queues;
  queues.reserve(num_queues);
  for (size_t i = 0; i < num_queues; ++i) {
    VMM_TRY_ASSIGN(EventFd event, EventFd::create());
    queues.push_back(std::move(event));
  }
  VMM_TRY_ASSIGN(EventFd wake, EventFd::create());
  return Events{std::move(queues), std::move(wake)};
}

void VirtioDevice::read_config(uint32_t offset, std::span<uint8_t> data) {
  std::lock_guard guard(mutex_);
  read_config_locked(offset, data);
}

void VirtioDevice::write_config(uint32_t offset, std::span<const uint8_t> data) {
  std::lock_guard guard(mutex_);
  write_config_locked(offset, data);
}

Result<void> VirtioDevice::attach_to(EventLoop& loop) {
  for (const auto& event : queue_events_) VMM_TRY(loop.add(event.fd(), EPOLLIN, *this));
  VMM_TRY(loop.add(wake_.fd(), EPOLLIN, *this));
  return register_backend(loop);
}

void VirtioDevice::detach_from(EventLoop& loop) {
  unregister_backend(loop);
  (void)loop.remove(wake_.fd());
  for (const auto& event : queue_events_) (void)loop.remove(event.fd());
}

Result<void> VirtioDevice::activate(GuestMemory& memory, std::vector<Queue> queues, uint64_t acked_features,
                                    DeviceSignals& signals) {
  std::lock_guard guard(mutex_);
  if (queues.size() != queue_max_sizes_.size())
    return Error(std::make_error_code(std::errc::invalid_argument), "wrong number of queues");
  memory_ = &memory;
  queues_ = std::move(queues);
  acked_features_ = acked_features;
  signals_ = &signals;
  failed_ = false;
  failure_.clear();
  if (auto activated = on_activate(); !activated) {
    memory_ = nullptr;
    queues_.clear();
    signals_ = nullptr;
    return activated;
  }
  wake_loop();
  return ok();
}

void VirtioDevice::reset() {
  std::lock_guard guard(mutex_);
  if (memory_ != nullptr) on_reset();
  memory_ = nullptr;
  queues_.clear();
  acked_features_ = 0;
  signals_ = nullptr;
  failed_ = false;
  failure_.clear();
}

bool VirtioDevice::active() const {
  std::lock_guard guard(mutex_);
  return memory_ != nullptr;
}

std::string VirtioDevice::failure() const {
  std::lock_guard guard(mutex_);
  return failure_;
}

void VirtioDevice::on_event(int fd, uint32_t events) {
  std::lock_guard guard(mutex_);
  if (fd == wake_.fd()) {
    (void)wake_.read();
    for (size_t i = 0; i < queues_.size() && active_locked() && !failed_; ++i) process_queue(i);
    return;
  }
  for (size_t i = 0; i < queue_events_.size(); ++i) {
    if (fd != queue_events_[i].fd()) continue;
    (void)queue_events_[i].read();  // notifications before DRIVER_OK are dropped
    if (active_locked() && !failed_) process_queue(i);
    return;
  }
  on_backend_event(fd, events);
}

void VirtioDevice::notify_used(size_t index) {
  auto wanted = queues_[index].needs_notification(*memory_);
  // A ring we cannot read is the driver's fault; interrupting is harmless.
  if ((!wanted || *wanted) && signals_ != nullptr) signals_->used_buffers();
}

VirtioDevice::QueueStop VirtioDevice::serve_queue(size_t index, std::string_view what, const ChainHandler& handle,
                                                  const std::function<bool()>& has_work) {
  Queue& q = queues_[index];
  if (failed_) return QueueStop::kBroken;
  if (!q.ready()) return QueueStop::kIdle;
  bool used = false;
  QueueStop stop = QueueStop::kEmpty;
  for (uint32_t budget = q.size();;) {
    if (has_work && !has_work()) {
      stop = QueueStop::kIdle;
      break;
    }
    if (budget == 0) {
      wake_loop();  // let other queues and devices run first
      stop = QueueStop::kBudgetSpent;
      break;
    }
    auto popped = q.pop(*memory_);
    if (!popped) {
      // avail.idx too far ahead, a head out of range, a ring outside RAM: §2.1.2.
      fail(std::string(what) + ": " + popped.error().message());
      stop = QueueStop::kBroken;
      break;
    }
    if (!popped->has_value()) {
      // Ask for a notification of new chains; serve any published meanwhile.
      auto more = q.enable_notification(*memory_);
      if (more && *more) continue;
      stop = QueueStop::kEmpty;
      break;
    }
    --budget;
    DescriptorChain& chain = **popped;
    std::optional<uint32_t> len = handle(chain);
    if (!len) {
      q.undo_pop();
      stop = QueueStop::kDeferred;
      break;
    }
    if (auto added = q.add_used(*memory_, chain.head(), *len); !added) {
      fail(std::string(what) + ": " + added.error().message());
      stop = QueueStop::kBroken;
      break;
    }
    used = true;
    if (failed_) {
      stop = QueueStop::kBroken;
      break;
    }
  }
  if (used) notify_used(index);
  return stop;
}

void VirtioDevice::fail(const std::string& why) {
  if (failed_) return;
  failed_ = true;
  failure_ = why;
  if (signals_ != nullptr) signals_->needs_reset();
}

}  // namespace vmm::virtio
