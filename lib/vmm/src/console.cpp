// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/vmm/console.hpp>

#include <unistd.h>

#include "console_backend.hpp"

namespace vmm {

Result<std::unique_ptr<Console>> Console::create(const ConsoleConfig& config, EventLoop& loop) {
  std::unique_ptr<Backend> backend;
  switch (config.mode) {
    case ConsoleMode::kStdio: {
      VMM_TRY_ASSIGN(backend, make_stdio_backend(loop));
      break;
    }
    case ConsoleMode::kSocket: {
      VMM_TRY_ASSIGN(backend, make_socket_backend(config.path.value_or(""), loop));
      break;
    }
    case ConsoleMode::kFile: {
      VMM_TRY_ASSIGN(backend, make_file_backend(config.path.value_or("")));
      break;
    }
    case ConsoleMode::kNone: backend = make_null_backend(); break;
  }
  return std::unique_ptr<Console>(new Console(std::move(backend), config.mode == ConsoleMode::kStdio));
}

Console::Console(std::unique_ptr<Backend> backend, bool stdio) : backend_(std::move(backend)), stdio_(stdio) {}
Console::~Console() = default;

void Console::write(std::span<const uint8_t> bytes) {
  if (bytes.empty()) return;
  backend_->write(bytes);
  mid_line_.store(bytes.back() != '\n', std::memory_order_relaxed);
}

void Console::start_line() {
  if (!stdio_ || !mid_line_.exchange(false, std::memory_order_relaxed)) return;
  uint8_t newline = '\n';
  backend_->write(std::span(&newline, 1));
}
void Console::set_input_handler(InputHandler handler) { backend_->set_input_handler(std::move(handler)); }
void Console::set_escape_handler(EscapeHandler handler) { backend_->set_escape_handler(std::move(handler)); }
void Console::tick() { backend_->flush_input(); }
bool Console::has_pending_input() const { return backend_->has_pending_input(); }
std::vector<uint8_t> Console::scrollback() const { return backend_->scrollback(); }

}  // namespace vmm
