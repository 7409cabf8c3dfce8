// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <string>

#include <vmm/bus/bus.hpp>
#include <vmm/kvm/vcpu_exit.hpp>

namespace vmm {

// What a vCPU thread does after one exit.
enum class ExitAction : uint8_t {
  kContinue,     // handled; run again
  kInterrupted,  // kicked: look at the machine's requests before running again
  kReset,        // the guest reset the machine (triple fault, i8042 pulse, KVM reset event)
  kPowerOff,     // the guest powered the machine off
  kFatal,        // KVM could not go on (emulation failure, entry failure, unknown exit)
};

struct IoBuses {
  Bus& pio;
  Bus& mmio;
};

// Dispatches one exit to the buses: port and MMIO accesses go to the device
// covering the address; reads of nothing return all ones (as on a PC with
// nothing decoding the address) and writes to nothing are dropped. This is
// the hot path of every PIO/MMIO exit: no allocation, no logging.
[[nodiscard]] VMM_API ExitAction handle_exit(VcpuExit& exit, IoBuses buses);

// A one-line description of a fatal exit for the user ("KVM internal error
// 1 (emulation failure)").
[[nodiscard]] VMM_API std::string describe_fatal_exit(const VcpuExit& exit);

}  // namespace vmm
