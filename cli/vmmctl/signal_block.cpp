// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "signal_block.hpp"

#include <sys/signalfd.h>

#include <utility>

namespace vmmctl {

vmm::Result<SignalBlock> SignalBlock::create(std::initializer_list<int> signals) {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : signals) sigaddset(&set, sig);
  sigset_t previous;
  if (int err = pthread_sigmask(SIG_BLOCK, &set, &previous); err != 0)
    return vmm::Error::from_errno(err, "blocking signals");
  int fd = ::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  if (fd < 0) {
    auto error = vmm::Error::from_errno("signalfd");
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    return error;
  }
  return SignalBlock(vmm::Fd(fd), previous);
}

SignalBlock::SignalBlock(SignalBlock&& other) noexcept
    : fd_(std::move(other.fd_)), previous_(other.previous_), restore_(std::exchange(other.restore_, false)) {}

SignalBlock::~SignalBlock() {
  if (restore_) pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

}  // namespace vmmctl
