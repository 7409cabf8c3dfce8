// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Boots the test guest through the library (build_machine + Machine), the
// way a program embedding libvmm would, and checks the guest's verdicts.
#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <mutex>
#include <string>

#include <vmm/devices/sink.hpp>
#include <vmm/vmm/machine.hpp>

namespace vmm {
namespace {

class CapturingConsole final : public ByteSink {
 public:
  void write(std::span<const uint8_t> bytes) override {
    std::lock_guard lock(mutex_);
    text_.append(bytes.begin(), bytes.end());
  }
  std::string text() const {
    std::lock_guard lock(mutex_);
    return text_;
  }

 private:
  mutable std::mutex mutex_;
  std::string text_;
};

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// Runs a machine until it ends (or 60 s pass), driving it like an owner's
// event loop would: wait for the events fd, then process_events().
MachineExit run_to_end(Machine& machine) {
  if (machine.state() == MachineState::kCreated) {
    EXPECT_TRUE(machine.start().ok());
  }
  for (int waited_ms = 0; waited_ms < 60'000; waited_ms += 100) {
    pollfd pfd{machine.events_fd(), POLLIN, 0};
    if (poll(&pfd, 1, 100) > 0) {
      if (auto exit = machine.process_events()) return *exit;
    }
  }
  machine.stop("test timeout");
  for (;;) {
    pollfd pfd{machine.events_fd(), POLLIN, 0};
    poll(&pfd, 1, 1000);
    if (auto exit = machine.process_events()) return *exit;
  }
}

struct BootCase {
  const char* name;
  const char* image_env;
  BootProtocol boot;
  uint32_t vcpus;
  uint64_t mem_mib;
  const char* tests;
  int expected_passes;
};

class LibraryBoot : public ::testing::TestWithParam<BootCase> {};

TEST_P(LibraryBoot, GuestChecksPass) {
  if (access("/dev/kvm", R_OK | W_OK) != 0) GTEST_SKIP() << "/dev/kvm ABSENT OR INACCESSIBLE: KVM TEST SKIPPED";
  const BootCase& c = GetParam();
  std::string image = env_or_empty(c.image_env);
  ASSERT_FALSE(image.empty()) << c.image_env << " not set (meson sets it)";

  MachineConfig config;
  config.name = std::string("lib-") + c.name;
  config.kernel.path = image;
  config.kernel.boot = c.boot;
  config.kernel.cmdline = std::string("console=ttyS0 vmmkit.tests=") + c.tests + " vmmkit.now=" +
                          std::to_string(std::time(nullptr)) + " vmmkit.mem_mib=" + std::to_string(c.mem_mib);
  config.memory.size_mib = c.mem_mib;
  config.vcpu.num = c.vcpus;
  config.console.mode = ConsoleMode::kNone;

  CapturingConsole console;
  auto machine = build_machine(config, console);
  ASSERT_TRUE(machine.ok()) << machine.error().message();
  MachineExit exit = run_to_end(**machine);
  std::string output = console.text();
  EXPECT_EQ(exit.reason, MachineExit::Reason::kReset) << exit.detail << "\n" << output;
  EXPECT_NE(output.find("vmmkit-guest: " + std::to_string(c.expected_passes) + " passed, 0 failed"), std::string::npos)
      << output;
  if (c.vcpus == 2 && std::string(c.tests).find("smp") != std::string::npos) {
    EXPECT_NE(output.find("smp PASS 2 cpus"), std::string::npos) << output;
  }
}

constexpr const char* kAll = "serial,e820,cmdline,smp,timer,rtc,reset";

INSTANTIATE_TEST_SUITE_P(
    Entries, LibraryBoot,
    ::testing::Values(BootCase{"elf_1cpu", "VMMKIT_GUEST_ELF", BootProtocol::kLinux64, 1, 128, kAll, 7},
                      BootCase{"elf_2cpu", "VMMKIT_GUEST_ELF", BootProtocol::kLinux64, 2, 128, kAll, 7},
                      BootCase{"pvh_1cpu", "VMMKIT_GUEST_ELF", BootProtocol::kPvh, 1, 128, kAll, 7},
                      BootCase{"pvh_2cpu", "VMMKIT_GUEST_ELF", BootProtocol::kPvh, 2, 128, kAll, 7},
                      BootCase{"bzimage_1cpu", "VMMKIT_GUEST_BZIMAGE", BootProtocol::kAuto, 1, 128, kAll, 7},
                      BootCase{"bzimage_2cpu", "VMMKIT_GUEST_BZIMAGE", BootProtocol::kAuto, 2, 128, kAll, 7},
                      BootCase{"elf_6g", "VMMKIT_GUEST_ELF", BootProtocol::kLinux64, 2, 6144, "e820,smp,reset", 3},
                      BootCase{"pvh_6g", "VMMKIT_GUEST_ELF", BootProtocol::kPvh, 1, 6144, "e820,reset", 2}),
    [](const ::testing::TestParamInfo<BootCase>& param_info) { return std::string(param_info.param.name); });

TEST(LibraryMachine, PauseResumeAndHardStop) {
  if (access("/dev/kvm", R_OK | W_OK) != 0) GTEST_SKIP() << "/dev/kvm ABSENT OR INACCESSIBLE: KVM TEST SKIPPED";
  MachineConfig config;
  config.kernel.path = env_or_empty("VMMKIT_GUEST_ELF");
  config.kernel.cmdline = "console=ttyS0 vmmkit.tests=idle vmmkit.idle_ms=60000";
  config.memory.size_mib = 64;
  config.vcpu.num = 2;
  config.console.mode = ConsoleMode::kNone;
  CapturingConsole console;
  auto machine = build_machine(config, console);
  ASSERT_TRUE(machine.ok()) << machine.error().message();
  Machine& m = **machine;
  ASSERT_TRUE(m.start().ok());
  EXPECT_EQ(m.state(), MachineState::kRunning);
  ASSERT_TRUE(m.pause().ok());
  EXPECT_EQ(m.state(), MachineState::kPaused);
  ASSERT_TRUE(m.resume().ok());
  EXPECT_EQ(m.state(), MachineState::kRunning);
  m.stop("test stop");
  MachineExit exit = run_to_end(m);
  EXPECT_EQ(exit.reason, MachineExit::Reason::kStopped);
  EXPECT_EQ(exit.detail, "test stop");
  EXPECT_EQ(m.state(), MachineState::kStopped);
}

}  // namespace
}  // namespace vmm
