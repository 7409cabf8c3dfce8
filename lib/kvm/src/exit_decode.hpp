// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <linux/kvm.h>

#include <cstddef>

#include <vmm/base/result.hpp>
#include <vmm/kvm/vcpu_exit.hpp>

namespace vmm::kvm_detail {

// Turns what KVM_RUN left in the kvm_run page into a typed exit
// (api.rst, "The kvm_run structure"). `run_size` is the size of the mapping:
// data KVM points at (the PIO data area) must lie inside it. Hot path: no
// allocation unless the exit is malformed.
Result<VcpuExit> decode_exit(kvm_run& run, size_t run_size);

}  // namespace vmm::kvm_detail
