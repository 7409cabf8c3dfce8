// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <vmm/vmm/config_json.hpp>
#include <vmm/vmm/error.hpp>
#include <vmm/vmm/machine_config.hpp>

#include "config_test_util.hpp"

namespace vmm {
namespace {

using testing::expect_error;

MachineConfig valid_config() {
  MachineConfig config;
  config.kernel.path = "vmlinux";
  return config;
}

TEST(Validate, AcceptsLimits) {
  MachineConfig config = valid_config();
  config.name = std::string(kMaxNameLength, 'n');
  config.vcpu.num = kMaxVcpus;
  config.memory.size_mib = kMaxMemoryMib;
  config.shutdown_timeout_s = kMaxShutdownTimeoutS;
  config.control.path = std::string(kMaxSocketPathLength, 'c');
  config.kernel.path = std::string(kMaxPathLength, 'p');
  EXPECT_TRUE(validate(config).ok()) << validate(config).error().message();
  config.name = "0";
  config.vcpu.num = 1;
  config.memory.size_mib = 1;
  EXPECT_TRUE(validate(config).ok());
}

TEST(Validate, RejectsOutOfRangeFields) {
  MachineConfig config = valid_config();
  config.name = std::string(kMaxNameLength + 1, 'n');
  expect_error(validate(config), ConfigErrc::kInvalidValue, "\"name\"");
  config = valid_config();
  config.vcpu.num = 0;
  expect_error(validate(config), ConfigErrc::kInvalidValue, "\"vcpu.num\" must be 1..254, got 0");
  config = valid_config();
  config.memory.size_mib = 0;
  expect_error(validate(config), ConfigErrc::kInvalidValue, "\"memory.size_mib\"");
  config = valid_config();
  config.kernel.path = std::string(kMaxPathLength + 1, 'p');
  expect_error(validate(config), ConfigErrc::kInvalidValue, "\"kernel.path\" is longer than 4095 bytes");
  config = valid_config();
  config.kernel.path.clear();
  expect_error(validate(config), ConfigErrc::kInvalidValue, "\"kernel.path\" must not be empty");
}

TEST(Validate, RejectsPathsThatAreNotUtf8) {
  for (const char* bad : {"\xff", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82"}) {
    MachineConfig config = valid_config();
    config.kernel.initrd = std::string("/x/") + bad;
    expect_error(validate(config), ConfigErrc::kInvalidValue, "\"kernel.initrd\" must be valid UTF-8");
    // Writing such a config must not throw; it just is not a faithful copy.
    EXPECT_FALSE(to_json(config).empty());
  }
  MachineConfig config = valid_config();
  config.kernel.initrd = "/x/\xf0\x9f\x90\xa7\xe2\x82\xac\xc3\xa9";
  EXPECT_TRUE(validate(config).ok());
}

TEST(Validate, ConsolePathFollowsTheMode) {
  MachineConfig config = valid_config();
  config.console = {ConsoleMode::kFile, std::nullopt};
  expect_error(validate(config), ConfigErrc::kMissingKey,
               "\"console.path\" is required with console mode \"file\"");
  config.console = {ConsoleMode::kFile, std::string(kMaxSocketPathLength + 10, 'f')};
  EXPECT_TRUE(validate(config).ok());
  config.console.mode = ConsoleMode::kSocket;
  expect_error(validate(config), ConfigErrc::kInvalidValue, "\"console.path\" is longer than the 107 bytes");
  config.console = {ConsoleMode::kNone, "x"};
  expect_error(validate(config), ConfigErrc::kInvalidValue, "only allowed with console mode");
}

TEST(Validate, RejectsEnumValuesOutsideTheirSet) {
  MachineConfig config = valid_config();
  config.console.mode = static_cast<ConsoleMode>(42);
  expect_error(validate(config), ConfigErrc::kInvalidValue, "\"console.mode\"");
  config = valid_config();
  config.kernel.boot = static_cast<BootProtocol>(42);
  expect_error(validate(config), ConfigErrc::kInvalidValue, "\"kernel.boot\"");
  config = valid_config();
  config.on_reboot = static_cast<RebootPolicy>(42);
  expect_error(validate(config), ConfigErrc::kInvalidValue, "\"on_reboot\"");
}

TEST(Validate, EnumSpellings) {
  for (auto mode : {ConsoleMode::kStdio, ConsoleMode::kSocket, ConsoleMode::kFile, ConsoleMode::kNone})
    EXPECT_EQ(console_mode_from_string(to_string(mode)), mode);
  EXPECT_EQ(to_string(RebootPolicy::kRestart), "restart");
  for (auto boot : {BootProtocol::kAuto, BootProtocol::kLinux64, BootProtocol::kPvh})
    EXPECT_EQ(boot_protocol_from_string(to_string(boot)), boot);
  EXPECT_EQ(reboot_policy_from_string("exit"), RebootPolicy::kExit);
  EXPECT_FALSE(reboot_policy_from_string("Exit"));
  EXPECT_FALSE(console_mode_from_string(""));
}

TEST(Validate, ErrorCategoryNamesTheKind) {
  Error error(ConfigErrc::kUnknownKey, "unknown key \"memroy\"");
  EXPECT_EQ(error.message(), "unknown key \"memroy\": invalid machine config");
  EXPECT_STREQ(error.code().category().name(), "vmm.config");
  EXPECT_EQ(Error(ConfigErrc::kInvalidOption, "--vcpu: x").message(),
            "--vcpu: x: invalid command-line option");
}

}  // namespace
}  // namespace vmm
