// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "console_pump.hpp"

#include <poll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include <vmm/base/fd.hpp>

namespace vmmctl {
namespace {

constexpr size_t kChunk = 4096;

enum class Copy { kMore, kEof, kPeerGone };

// Reads once from `from`; kEof at end of file, kPeerGone on a connection error.
vmm::Result<Copy> read_chunk(int from, std::array<char, kChunk>& buffer, size_t& got) {
  for (;;) {
    ssize_t n = ::read(from, buffer.data(), buffer.size());
    if (n > 0) {
      got = static_cast<size_t>(n);
      return Copy::kMore;
    }
    if (n == 0) return Copy::kEof;
    if (errno == EINTR) continue;
    if (errno == EAGAIN) {
      got = 0;
      return Copy::kMore;
    }
    if (errno == ECONNRESET || errno == EPIPE) return Copy::kPeerGone;
    return vmm::Error::from_errno("reading");
  }
}

// Writes all bytes; kPeerGone when the reader went away.
vmm::Result<Copy> write_chunk(int to, const char* data, size_t size) {
  auto written = vmm::write_all(to, data, size);
  if (written) return Copy::kMore;
  auto err = written.error().code();
  if (err == std::errc::broken_pipe || err == std::errc::connection_reset) return Copy::kPeerGone;
  return written.error();
}

int read_signal(int fd) {
  signalfd_siginfo info{};
  while (::read(fd, &info, sizeof info) < 0)
    if (errno != EINTR) return 0;
  return static_cast<int>(info.ssi_signo);
}

}  // namespace

vmm::Result<PumpResult> run_console_pump(const PumpFds& fds, const PumpOptions& options) {
  bool input_open = true;
  std::array<char, kChunk> buffer{};
  for (;;) {
    std::array<pollfd, 3> polled{};
    nfds_t count = 0;
    polled[count++] = {fds.console, POLLIN, 0};
    const nfds_t input_slot = input_open ? count : 0;
    if (input_open) polled[count++] = {fds.input, POLLIN, 0};
    const nfds_t signal_slot = fds.signals >= 0 ? count : 0;
    if (fds.signals >= 0) polled[count++] = {fds.signals, POLLIN, 0};
    int timeout = (!input_open && options.linger_ms) ? *options.linger_ms : -1;

    int ready = ::poll(polled.data(), count, timeout);
    if (ready < 0) {
      if (errno == EINTR) continue;
      return vmm::Error::from_errno("poll");
    }
    if (ready == 0) return PumpResult{PumpEnd::kQuiet, 0};
    if (signal_slot && polled[signal_slot].revents)
      return PumpResult{PumpEnd::kSignal, read_signal(fds.signals)};

    if (polled[0].revents) {
      size_t got = 0;
      VMM_TRY_ASSIGN(auto state, read_chunk(fds.console, buffer, got));
      if (state != Copy::kMore) return PumpResult{PumpEnd::kConsoleClosed, 0};
      VMM_TRY_ASSIGN(auto out, write_chunk(fds.output, buffer.data(), got));
      if (out == Copy::kPeerGone) return PumpResult{PumpEnd::kOutputClosed, 0};
    }
    if (input_slot && polled[input_slot].revents) {
      size_t got = 0;
      VMM_TRY_ASSIGN(auto state, read_chunk(fds.input, buffer, got));
      if (state != Copy::kMore) {
        input_open = false;  // EOF on stdin: keep showing output (PumpOptions::linger_ms)
        continue;
      }
      size_t send = got;
      bool leave = false;
      if (options.escape) {
        if (const void* at = std::memchr(buffer.data(), kEscapeByte, got)) {
          send = static_cast<size_t>(static_cast<const char*>(at) - buffer.data());
          leave = true;
        }
      }
      VMM_TRY_ASSIGN(auto sent, write_chunk(fds.console, buffer.data(), send));
      if (sent == Copy::kPeerGone) return PumpResult{PumpEnd::kConsoleClosed, 0};
      if (leave) return PumpResult{PumpEnd::kEscape, 0};
    }
  }
}

}  // namespace vmmctl
