// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Private helpers for calling KVM ioctls and naming them in errors.
#pragma once
#include <vmm/base/hex.hpp>

#include <sys/ioctl.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <string>
#include <type_traits>

#include <vmm/base/result.hpp>

namespace vmm::kvm_detail {

// ioctl(2), retried on EINTR: a setup ioctl interrupted by a signal has done
// nothing yet. Only KVM_RUN treats EINTR as a kick (see vcpu_run.cpp).
template <typename Arg>
int ioctl_retry(int fd, unsigned long request, Arg arg) {
  int ret;
  do {
    ret = ::ioctl(fd, request, arg);
  } while (ret < 0 && errno == EINTR);
  return ret;
}

// A failed ioctl (ret < 0) as an Error naming it: "KVM_CREATE_IRQCHIP: ...".
// errno is saved before the context string is built (allocating may clobber it).
inline Result<void> ioctl_result(int ret, const char* what) {
  if (ret >= 0) return ok();
  int err = errno;
  return Error::from_errno(err, what);
}

// Same, with a context built only on failure.
template <typename Describe>
requires std::is_invocable_r_v<std::string, Describe> Result<void> ioctl_result(int ret, Describe describe) {
  if (ret >= 0) return ok();
  int err = errno;
  return Error::from_errno(err, describe());
}

}  // namespace vmm::kvm_detail
