// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/base/signal_fd.hpp>

#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>

namespace vmm {

Result<SignalFd> SignalFd::create(std::initializer_list<int> signals) {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : signals) sigaddset(&set, sig);
  if (int err = pthread_sigmask(SIG_BLOCK, &set, nullptr); err != 0) return Error::from_errno(err, "pthread_sigmask");
  int fd = ::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  if (fd < 0) return Error::from_errno("signalfd");
  return SignalFd(Fd(fd));
}

Result<int> SignalFd::read() const {
  signalfd_siginfo info{};
  while (::read(fd_.get(), &info, sizeof info) < 0) {
    if (errno == EAGAIN) return 0;
    if (errno != EINTR) return Error::from_errno("signalfd read");
  }
  return static_cast<int>(info.ssi_signo);
}

}  // namespace vmm
