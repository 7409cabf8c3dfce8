// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// `console NAME`: the guest's console on this terminal (raw mode, Ctrl+] to
// leave) or, when stdin is not a terminal, a pipe for scripts.
#include <string.h>
#include <unistd.h>

#include <iostream>

#include "console_pump.hpp"
#include "exit_status.hpp"
#include "signal_block.hpp"
#include "tty_raw_mode.hpp"
#include "verbs.hpp"

namespace vmmctl {
namespace {

std::optional<int> linger_ms(const ConsoleArgs& args) {
  if (!args.timeout_s) return std::nullopt;
  return static_cast<int>(*args.timeout_s * 1000.0);
}

vmm::Result<void> report_end(Context& ctx, const ConsoleArgs& args, const PumpResult& result,
                             bool interactive) {
  switch (result.end) {
    case PumpEnd::kEscape:
      if (interactive) ctx.inform("\nLeft the console of " + args.name + ".");
      return vmm::ok();
    case PumpEnd::kConsoleClosed:
      if (interactive) ctx.inform("\nThe console of " + args.name + " closed.");
      return vmm::ok();
    case PumpEnd::kQuiet:
    case PumpEnd::kOutputClosed:
      return vmm::ok();
    case PumpEnd::kSignal:
      return vmm::Error(Failure::kFailed,
                        std::string("console: interrupted by SIG") + sigabbrev_np(result.signal));
  }
  return vmm::ok();
}

}  // namespace

vmm::Result<void> verb_console(Context& ctx, const ConsoleArgs& args) {
  VMM_TRY_ASSIGN(auto* manager, ctx.manager());
  VMM_TRY_ASSIGN(auto console, manager->open_machine_console(args.name));
  const bool interactive = isatty(STDIN_FILENO) != 0;
  if (interactive) ctx.inform("Connected to the console of " + args.name + ". Press Ctrl+] to leave.");
  std::cout.flush();

  // Signals first, raw mode second: the terminal is restored before the
  // signal mask, so a signal still pending then finds a sane terminal.
  VMM_TRY_ASSIGN(auto signals, SignalBlock::create({SIGINT, SIGTERM, SIGHUP, SIGQUIT}));
  PumpResult result;
  {
    VMM_TRY_ASSIGN(auto raw_mode, TtyRawMode::enter(STDIN_FILENO));
    PumpFds fds{STDIN_FILENO, STDOUT_FILENO, console.get(), signals.fd()};
    PumpOptions options{interactive, interactive ? std::nullopt : linger_ms(args)};
    VMM_TRY_ASSIGN(result, run_console_pump(fds, options));
  }
  return report_end(ctx, args, result, interactive);
}

}  // namespace vmmctl
