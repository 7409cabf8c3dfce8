// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/vmm/exit_handler.hpp>

#include <linux/kvm.h>

#include <algorithm>
#include <cstring>

namespace vmm {
namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

// A rep ins/outs exit carries `count` accesses of `size` bytes each; each is
// dispatched separately so a device sees the same widths the guest used.
ExitAction io_in(const exit::IoIn& io, Bus& pio) {
  for (uint32_t i = 0; i < io.count; ++i) {
    auto chunk = io.data.subspan(size_t{i} * io.size, io.size);
    if (!pio.read(io.port, chunk)) std::fill(chunk.begin(), chunk.end(), uint8_t{0xff});
  }
  return ExitAction::kContinue;
}

ExitAction io_out(const exit::IoOut& io, Bus& pio) {
  for (uint32_t i = 0; i < io.count; ++i) pio.write(io.port, io.data.subspan(size_t{i} * io.size, io.size));
  return ExitAction::kContinue;
}

ExitAction system_event(const exit::SystemEvent& event) {
  switch (event.type) {
    case KVM_SYSTEM_EVENT_SHUTDOWN: return ExitAction::kPowerOff;
    case KVM_SYSTEM_EVENT_RESET: return ExitAction::kReset;
    default: return ExitAction::kFatal;
  }
}

}  // namespace

ExitAction handle_exit(VcpuExit& exit, IoBuses buses) {
  return std::visit(
      Overloaded{
          [&](exit::IoIn& io) { return io_in(io, buses.pio); },
          [&](exit::IoOut& io) { return io_out(io, buses.pio); },
          [&](exit::MmioRead& mmio) {
            if (!buses.mmio.read(mmio.address, mmio.data)) std::fill(mmio.data.begin(), mmio.data.end(), uint8_t{0xff});
            return ExitAction::kContinue;
          },
          [&](exit::MmioWrite& mmio) {
            buses.mmio.write(mmio.address, mmio.data);
            return ExitAction::kContinue;
          },
          // With the in-kernel LAPIC, HLT is handled by KVM; an exit here only
          // means "nothing to do", so run again (KVM blocks until an interrupt).
          [](exit::Hlt&) { return ExitAction::kContinue; },
          [](exit::Shutdown&) { return ExitAction::kReset; },  // triple fault
          [](exit::SystemEvent& event) { return system_event(event); },
          [](exit::Interrupted&) { return ExitAction::kInterrupted; },
          [](exit::Debug&) { return ExitAction::kContinue; },
          [](exit::InternalError&) { return ExitAction::kFatal; },
          [](exit::FailEntry&) { return ExitAction::kFatal; },
          [](exit::Unknown&) { return ExitAction::kFatal; },
      },
      exit);
}

std::string describe_fatal_exit(const VcpuExit& exit) {
  return std::visit(
      Overloaded{
          [](const exit::InternalError& e) {
            std::string what = e.suberror == KVM_INTERNAL_ERROR_EMULATION ? " (instruction emulation failed)" : "";
            return "KVM internal error " + std::to_string(e.suberror) + what;
          },
          [](const exit::FailEntry& e) {
            return "KVM could not enter the guest (hardware entry failure reason " + std::to_string(e.reason) + ")";
          },
          [](const exit::Unknown& e) { return "unexpected KVM exit reason " + std::to_string(e.reason); },
          [](const exit::SystemEvent& e) { return "unexpected KVM system event " + std::to_string(e.type); },
          [](const auto&) { return std::string("unexpected vCPU exit"); },
      },
      exit);
}

}  // namespace vmm
