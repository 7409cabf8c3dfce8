// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <optional>

#include <vmm/base/result.hpp>

namespace vmmctl {

// Ctrl+] — the byte that leaves an interactive console (as telnet, virsh and machinectl use).
inline constexpr char kEscapeByte = 0x1d;

struct PumpFds {
  int input = 0;     // what the user types (stdin)
  int output = 1;    // where the guest's output goes (stdout)
  int console = -1;  // the stream socket vmmd handed over
  int signals = -1;  // a signalfd, or -1
};

struct PumpOptions {
  // Interactive: a Ctrl+] byte in the input ends the session (the bytes
  // before it are sent). Otherwise input is copied verbatim.
  bool escape = false;
  // After the input's end of file: leave once this many milliseconds pass
  // without console output. nullopt: keep printing until the console closes.
  std::optional<int> linger_ms;
};

enum class PumpEnd {
  kEscape,         // the user pressed Ctrl+]
  kConsoleClosed,  // the guest's console went away (machine stopped, vmmd gone)
  kQuiet,          // input ended and the console stayed quiet for linger_ms
  kSignal,         // a signal arrived on the signalfd (see signal)
  kOutputClosed,   // nobody reads our output any more (EPIPE)
};

struct PumpResult {
  PumpEnd end = PumpEnd::kConsoleClosed;
  int signal = 0;
};

// Copies input → console and console → output with poll(2) until one of the
// PumpEnd events. Never touches terminal modes (TtyRawMode does).
vmm::Result<PumpResult> run_console_pump(const PumpFds& fds, const PumpOptions& options);

}  // namespace vmmctl
