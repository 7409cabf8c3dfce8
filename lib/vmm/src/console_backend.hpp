// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <mutex>
#include <vector>

#include <vmm/vmm/console.hpp>

namespace vmm {

// What every console backend shares: the scrollback ring, the lock that
// orders output from several vCPU threads, and input waiting for room in
// the guest's UART.
class Console::Backend : public EventSubscriber {
 public:
  static constexpr size_t kMaxPendingInput = 4096;

  ~Backend() override = default;

  // Called with mutex_ held, from vCPU threads.
  virtual void output(std::span<const uint8_t> bytes) = 0;

  void write(std::span<const uint8_t> bytes) {
    std::lock_guard lock(mutex_);
    ring_.append(bytes);
    output(bytes);
  }
  std::vector<uint8_t> scrollback() const {
    std::lock_guard lock(mutex_);
    return ring_.snapshot();
  }
  void set_input_handler(InputHandler handler) { input_ = std::move(handler); }
  void set_escape_handler(EscapeHandler handler) { escape_ = std::move(handler); }
  bool has_pending_input() const { return !pending_.empty(); }

  // Queues host input (bounded: beyond kMaxPendingInput the newest bytes are
  // dropped, as a UART with a full FIFO would) and feeds the guest.
  void deliver_input(std::span<const uint8_t> bytes) {
    size_t room = kMaxPendingInput - pending_.size();
    pending_.insert(pending_.end(), bytes.begin(), bytes.begin() + static_cast<ptrdiff_t>(std::min(room, bytes.size())));
    flush_input();
  }
  void flush_input() {
    if (pending_.empty() || !input_) return;
    size_t taken = input_(pending_);
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<ptrdiff_t>(taken));
  }
  void escape() {
    if (escape_) escape_();
  }

 protected:
  mutable std::mutex mutex_;
  ConsoleRing ring_;

 private:
  InputHandler input_;
  EscapeHandler escape_;
  std::vector<uint8_t> pending_;
};

Result<std::unique_ptr<Console::Backend>> make_stdio_backend(EventLoop& loop);
Result<std::unique_ptr<Console::Backend>> make_socket_backend(const std::string& path, EventLoop& loop);
Result<std::unique_ptr<Console::Backend>> make_file_backend(const std::string& path);
std::unique_ptr<Console::Backend> make_null_backend();

}  // namespace vmm
