// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <span>

#include <vmm/devices/sink.hpp>
#include <vmm/event/event_loop.hpp>
#include <vmm/vmm/console_ring.hpp>
#include <vmm/vmm/machine_config.hpp>

namespace vmm {

// The machine's serial console as the host sees it. Output arrives from
// vCPU threads (UART transmit) through ByteSink::write, is kept in a bounded
// scrollback ring and goes to the backend (stdout, clients of a unix socket,
// a file, or nowhere). Input from the backend is handed to `input`, which
// returns how many bytes the guest side took; the rest waits (bounded) and
// is retried on the next input or tick().
class VMM_API Console : public ByteSink {
 public:
  using InputHandler = std::function<size_t(std::span<const uint8_t>)>;
  // Called when the user typed the escape key on a raw-mode terminal (Ctrl-]).
  using EscapeHandler = std::function<void()>;

  // Creates the backend for `config` and registers its fds with `loop`.
  static Result<std::unique_ptr<Console>> create(const ConsoleConfig& config, EventLoop& loop);
  ~Console() override;

  void write(std::span<const uint8_t> bytes) override;
  void set_input_handler(InputHandler handler);
  void set_escape_handler(EscapeHandler handler);
  // Retries input the guest had no room for.
  void tick();
  [[nodiscard]] bool has_pending_input() const;
  [[nodiscard]] std::vector<uint8_t> scrollback() const;
  // On stdio, ends a partial line of guest output with a newline, so that a
  // message vmm prints next (to stderr, often the same terminal) starts on a
  // line of its own. Other backends and the scrollback keep the guest's bytes
  // exactly as written.
  void start_line();

  class Backend;

 private:
  Console(std::unique_ptr<Backend> backend, bool stdio);
  std::unique_ptr<Backend> backend_;
  bool stdio_;
  std::atomic<bool> mid_line_{false};  // the last byte written was not '\n'
};

}  // namespace vmm
