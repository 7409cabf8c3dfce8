// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// KVM_RUN and kicks. run() is the hot path of every exit the VMM handles:
// one ioctl, one switch, no allocation, no logging.
#include <sys/ioctl.h>

#include <atomic>
#include <cerrno>

#include <vmm/kvm/vcpu.hpp>

#include "exit_decode.hpp"

namespace vmm {

Result<VcpuExit> Vcpu::run() {
  if (::ioctl(fd_.get(), KVM_RUN, 0) < 0) {
    // api.rst, KVM_RUN / immediate_exit: EINTR when a signal arrived or
    // immediate_exit was set; EAGAIN when the vCPU was not runnable yet.
    // Both mean "come back later", so the caller sees a kick.
    int err = errno;
    if (err == EINTR || err == EAGAIN) return VcpuExit(exit::Interrupted{});
    return Error::from_errno(err, "KVM_RUN");
  }
  return kvm_detail::decode_exit(*run_, run_size_);
}

void Vcpu::set_immediate_exit(bool value) {
  // Atomic because kick() may store from another thread or a signal handler.
  std::atomic_ref<uint8_t>(run_->immediate_exit).store(value ? 1 : 0, std::memory_order_release);
}

void Vcpu::kick() { set_immediate_exit(true); }

}  // namespace vmm
