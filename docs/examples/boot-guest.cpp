// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
//
// boot-guest: the smallest useful program on libvmm. It boots a kernel (the
// bundled test guest by default) with the serial console on stdout, waits
// until the guest powers off or resets, and stops it after a timeout.
//
// Build it against the installed library (package libvmm-dev):
//   c++ -std=c++20 -o boot-guest boot-guest.cpp $(pkg-config --cflags --libs libvmm)
// Run it (needs read-write /dev/kvm):
//   ./boot-guest /usr/share/vmmkit/guest/vmmkit-guest "console=ttyS0"
//
// Exit status: 0 the guest powered off or reset; 1 it failed or timed out;
// 2 usage or configuration error.
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include <vmm/devices/sink.hpp>
#include <vmm/vmm/machine.hpp>
#include <vmm/vmm/machine_config.hpp>

namespace {

// Serial output of the guest. It is called on vCPU threads and must not
// block for long; a pipe or terminal on stdout is fine for an example.
class StdoutConsole final : public vmm::ByteSink {
 public:
  void write(std::span<const uint8_t> bytes) override {
    if (::write(STDOUT_FILENO, bytes.data(), bytes.size()) < 0) {
      // Nowhere to report it: the guest keeps running without a console.
    }
  }
};

constexpr auto kTimeout = std::chrono::seconds(60);

// Waits for the machine to end, the way an owner's event loop does: poll the
// events fd, then let process_events() say whether the machine is gone.
vmm::MachineExit run_until_exit(vmm::Machine& machine) {
  const auto deadline = std::chrono::steady_clock::now() + kTimeout;
  bool stopping = false;
  for (;;) {
    pollfd events{machine.events_fd(), POLLIN, 0};
    if (::poll(&events, 1, 200) > 0) {
      if (auto exit = machine.process_events()) return *exit;
    }
    if (!stopping && std::chrono::steady_clock::now() > deadline) {
      std::fprintf(stderr, "boot-guest: no exit after %lld s, stopping the machine\n",
                   static_cast<long long>(kTimeout.count()));
      machine.stop("timeout");
      stopping = true;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: %s KERNEL [CMDLINE]\n", argv[0]);
    return 2;
  }
  vmm::MachineConfig config;
  config.name = "boot-guest";
  config.kernel.path = argv[1];
  config.kernel.cmdline = argc == 3 ? argv[2] : "console=ttyS0";
  config.memory.size_mib = 128;
  config.vcpu.num = 1;
  if (auto valid = vmm::validate(config); !valid.ok()) {
    std::fprintf(stderr, "boot-guest: %s\n", valid.error().message().c_str());
    return 2;
  }

  StdoutConsole console;  // outlives the machine
  auto machine = vmm::build_machine(config, console);
  if (!machine.ok()) {
    std::fprintf(stderr, "boot-guest: %s\n", machine.error().message().c_str());
    return 1;
  }
  if (auto started = (*machine)->start(); !started.ok()) {
    std::fprintf(stderr, "boot-guest: %s\n", started.error().message().c_str());
    return 1;
  }
  const vmm::MachineExit exit = run_until_exit(**machine);
  std::fprintf(stderr, "boot-guest: machine ended: %s%s%s\n", std::string(vmm::to_string(exit.reason)).c_str(),
               exit.detail.empty() ? "" : ": ", exit.detail.c_str());
  const bool clean = exit.reason == vmm::MachineExit::Reason::kPowerOff ||
                     exit.reason == vmm::MachineExit::Reason::kReset;
  return clean ? 0 : 1;
}
