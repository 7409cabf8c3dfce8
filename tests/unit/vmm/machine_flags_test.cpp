// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <vmm/vmm/error.hpp>
#include <vmm/vmm/machine_flags.hpp>

#include "config_test_util.hpp"

namespace vmm {
namespace {

using testing::expect_error;

TEST(KernelFlag, TheAcceptanceCommand) {
  MachineConfig config;
  auto result = apply_kernel_flag(
      config, "path=vmmkit-guest,cmdline=console=ttyS0 vmmkit.tests=serial,e820,cmdline,smp,timer,rtc,reset");
  ASSERT_TRUE(result.ok()) << result.error().message();
  EXPECT_EQ(config.kernel.path, "vmmkit-guest");
  EXPECT_EQ(config.kernel.cmdline, "console=ttyS0 vmmkit.tests=serial,e820,cmdline,smp,timer,rtc,reset");
  EXPECT_FALSE(config.kernel.initrd);
  EXPECT_TRUE(validate(config).ok());
}

TEST(KernelFlag, AllKeys) {
  MachineConfig config;
  ASSERT_TRUE(apply_kernel_flag(config, R"(cmdline="a,b",initrd=/i.img,boot=pvh,path=/k)").ok());
  EXPECT_EQ(config.kernel, (KernelConfig{"/k", BootProtocol::kPvh, "a,b", "/i.img"}));
  ASSERT_TRUE(apply_kernel_flag(config, "path=/k,boot=linux64").ok());
  EXPECT_EQ(config.kernel.boot, BootProtocol::kLinux64);
  EXPECT_EQ(config.kernel.cmdline, "a,b");  // a flag changes only the keys it names
}

TEST(KernelFlag, Rejections) {
  MachineConfig config;
  expect_error(apply_kernel_flag(config, "cmdline=x"), ConfigErrc::kInvalidOption,
               "--kernel: \"path\" is required");
  expect_error(apply_kernel_flag(config, "path=k,image=x"), ConfigErrc::kInvalidOption,
               "--kernel: unknown key \"image\"");
  expect_error(apply_kernel_flag(config, "path="), ConfigErrc::kInvalidOption,
               "--kernel: \"path\" must not be empty");
  expect_error(apply_kernel_flag(config, "path=k,boot=efi"), ConfigErrc::kInvalidOption,
               "--kernel: \"boot\" must be auto, linux64 or pvh, got \"efi\"");
  expect_error(apply_kernel_flag(config, "vmlinux"), ConfigErrc::kInvalidOption,
               "--kernel: expected key=value, got \"vmlinux\"");
  expect_error(apply_kernel_flag(config, "path=k,cmdline=a\tb"), ConfigErrc::kInvalidOption,
               "--kernel: \"cmdline\" must be printable ASCII");
  EXPECT_EQ(config.kernel, KernelConfig{});  // unchanged by failed flags
}

TEST(MemoryFlag, SizesInMib) {
  struct Case {
    const char* flag;
    uint64_t mib;
  };
  for (auto [flag, mib] : {Case{"size_mib=512", 512}, Case{"size_mib=512M", 512}, Case{"size_mib=2G", 2048},
                           Case{"size_mib=1GiB", 1024}, Case{"size_mib=4096K", 4}, Case{"size_mib=1", 1}}) {
    MachineConfig config;
    auto result = apply_memory_flag(config, flag);
    ASSERT_TRUE(result.ok()) << flag << ": " << result.error().message();
    EXPECT_EQ(config.memory.size_mib, mib) << flag;
  }
}

TEST(MemoryFlag, Hugepages) {
  MachineConfig config;
  ASSERT_TRUE(apply_memory_flag(config, "size_mib=1G,hugepages=on").ok());
  EXPECT_TRUE(config.memory.hugepages);
  ASSERT_TRUE(apply_memory_flag(config, "hugepages=false").ok());
  EXPECT_FALSE(config.memory.hugepages);
  EXPECT_EQ(config.memory.size_mib, 1024u);
}

TEST(MemoryFlag, Rejections) {
  MachineConfig config;
  expect_error(apply_memory_flag(config, "sise_mib=512"), ConfigErrc::kInvalidOption,
               "--memory: unknown key \"sise_mib\"");
  expect_error(apply_memory_flag(config, "size_mib=0"), ConfigErrc::kInvalidOption,
               "--memory: \"size_mib\" must be 1..16777216, got 0");
  expect_error(apply_memory_flag(config, "size_mib=1.5G"), ConfigErrc::kInvalidOption,
               "--memory: \"size_mib\" is an invalid size \"1.5G\"");
  expect_error(apply_memory_flag(config, "size_mib=1536K"), ConfigErrc::kInvalidOption,
               "\"size_mib\" must be a whole number of MiB, got \"1536K\"");
  expect_error(apply_memory_flag(config, "size_mib=99999999999999999999"), ConfigErrc::kInvalidOption,
               "too large");
  expect_error(apply_memory_flag(config, "size_mib=32T"), ConfigErrc::kInvalidOption, "must be 1..16777216");
  expect_error(apply_memory_flag(config, "hugepages=yes"), ConfigErrc::kInvalidOption,
               "--memory: \"hugepages\" must be on or off, got \"yes\"");
  EXPECT_EQ(config.memory, MemoryConfig{});
}

TEST(VcpuFlag, Counts) {
  MachineConfig config;
  ASSERT_TRUE(apply_vcpu_flag(config, "num=254").ok());
  EXPECT_EQ(config.vcpu.num, 254u);
  expect_error(apply_vcpu_flag(config, "num=0"), ConfigErrc::kInvalidOption,
               "--vcpu: \"num\" must be 1..254, got 0");
  expect_error(apply_vcpu_flag(config, "num=255"), ConfigErrc::kInvalidOption, "got 255");
  expect_error(apply_vcpu_flag(config, "num=2x"), ConfigErrc::kInvalidOption,
               "--vcpu: \"num\" must be a decimal number, got \"2x\"");
  expect_error(apply_vcpu_flag(config, "num=-1"), ConfigErrc::kInvalidOption, "decimal number");
  expect_error(apply_vcpu_flag(config, "num=99999999999999999999"), ConfigErrc::kInvalidOption,
               "decimal number");
  expect_error(apply_vcpu_flag(config, "count=2"), ConfigErrc::kInvalidOption,
               "--vcpu: unknown key \"count\"");
  EXPECT_EQ(config.vcpu.num, 254u);
}

TEST(InitrdFlag, SetsThePath) {
  MachineConfig config;
  ASSERT_TRUE(apply_initrd_flag(config, "/boot/initrd,with,commas").ok());
  EXPECT_EQ(config.kernel.initrd, "/boot/initrd,with,commas");
  expect_error(apply_initrd_flag(config, ""), ConfigErrc::kInvalidOption,
               "--initrd: \"path\" must not be empty");
}

TEST(ConsoleFlag, Modes) {
  MachineConfig config;
  ASSERT_TRUE(apply_console_flag(config, "socket=/run/vmmkit/vm/console").ok());
  EXPECT_EQ(config.console, (ConsoleConfig{ConsoleMode::kSocket, "/run/vmmkit/vm/console"}));
  ASSERT_TRUE(apply_console_flag(config, "file=/var/log/a=b,c.log").ok());
  EXPECT_EQ(config.console, (ConsoleConfig{ConsoleMode::kFile, "/var/log/a=b,c.log"}));
  ASSERT_TRUE(apply_console_flag(config, "none").ok());
  EXPECT_EQ(config.console, (ConsoleConfig{ConsoleMode::kNone, std::nullopt}));
  ASSERT_TRUE(apply_console_flag(config, "stdio").ok());
  EXPECT_EQ(config.console, ConsoleConfig{});
}

TEST(ConsoleFlag, Rejections) {
  MachineConfig config;
  expect_error(apply_console_flag(config, "tty"), ConfigErrc::kInvalidOption,
               "--console: expected stdio, none, socket=PATH or file=PATH, got \"tty\"");
  expect_error(apply_console_flag(config, "socket"), ConfigErrc::kInvalidOption,
               "--console: socket needs a path: socket=PATH");
  expect_error(apply_console_flag(config, "stdio=x"), ConfigErrc::kInvalidOption,
               "--console: stdio takes no path");
  expect_error(apply_console_flag(config, "socket="), ConfigErrc::kInvalidOption,
               "\"path\" must not be empty");
  expect_error(apply_console_flag(config, "socket=/" + std::string(200, 's')), ConfigErrc::kInvalidOption,
               "a unix socket path can have");
  EXPECT_EQ(config.console, ConsoleConfig{});
}

TEST(OnRebootFlag, Policies) {
  MachineConfig config;
  ASSERT_TRUE(apply_on_reboot_flag(config, "restart").ok());
  EXPECT_EQ(config.on_reboot, RebootPolicy::kRestart);
  expect_error(apply_on_reboot_flag(config, "reset"), ConfigErrc::kInvalidOption,
               "--on-reboot: expected exit or restart, got \"reset\"");
}

TEST(Flags, BuildAConfigThatRoundTrips) {
  MachineConfig config;
  ASSERT_TRUE(apply_kernel_flag(config, "path=k,cmdline=console=ttyS0,x").ok());
  ASSERT_TRUE(apply_memory_flag(config, "size_mib=2G").ok());
  ASSERT_TRUE(apply_vcpu_flag(config, "num=2").ok());
  ASSERT_TRUE(apply_initrd_flag(config, "i").ok());
  EXPECT_TRUE(validate(config).ok());
}

}  // namespace
}  // namespace vmm
