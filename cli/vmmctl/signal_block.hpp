// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <signal.h>

#include <initializer_list>

#include <vmm/base/fd.hpp>
#include <vmm/base/result.hpp>

namespace vmmctl {

// Blocks the given signals and delivers them through a signalfd instead, so
// a console session ends through its normal cleanup (the terminal is
// restored) when vmmctl is told to stop. The previous signal mask comes back
// when dropped.
class SignalBlock {
 public:
  static vmm::Result<SignalBlock> create(std::initializer_list<int> signals);

  SignalBlock(SignalBlock&& other) noexcept;
  SignalBlock& operator=(SignalBlock&&) = delete;
  SignalBlock(const SignalBlock&) = delete;
  SignalBlock& operator=(const SignalBlock&) = delete;
  ~SignalBlock();

  [[nodiscard]] int fd() const { return fd_.get(); }

 private:
  SignalBlock(vmm::Fd fd, const sigset_t& previous) : fd_(std::move(fd)), previous_(previous) {}
  vmm::Fd fd_;
  sigset_t previous_{};
  bool restore_ = true;
};

}  // namespace vmmctl
