// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include <vmm/vmm/config_json.hpp>
#include <vmm/vmm/error.hpp>

#include "config_test_util.hpp"

namespace vmm {
namespace {

using testing::expect_error;

MachineConfig full_config() {
  MachineConfig config;
  config.name = "web-1.example_a";
  config.uuid = "0123abcd-89AB-cdef-0123-456789abcdef";
  config.kernel = {"/var/lib/vmmkit/vmlinux", BootProtocol::kPvh, "console=ttyS0 reboot=k \"quoted arg\"",
                   "initrd.img"};
  config.memory = {2048, true};
  config.vcpu.num = 4;
  config.console = {ConsoleMode::kSocket, "/run/vmmkit/web-1/console"};
  config.control.path = "/run/vmmkit/web-1/control";
  config.on_reboot = RebootPolicy::kRestart;
  config.shutdown_timeout_s = 0;
  config.acpi = false;
  return config;
}

TEST(ConfigJson, MinimalDocumentTakesDefaults) {
  auto config = parse_machine_config(R"({"kernel": {"path": "vmlinux"}})");
  ASSERT_TRUE(config.ok()) << config.error().message();
  MachineConfig expected;
  expected.kernel.path = "vmlinux";
  EXPECT_EQ(*config, expected);
  EXPECT_EQ(config->name, "vmm");
  EXPECT_EQ(config->memory.size_mib, 256u);
  EXPECT_EQ(config->vcpu.num, 1u);
  EXPECT_EQ(config->console.mode, ConsoleMode::kStdio);
  EXPECT_EQ(config->on_reboot, RebootPolicy::kExit);
  EXPECT_EQ(config->shutdown_timeout_s, 30u);
  EXPECT_TRUE(config->acpi);
}

TEST(ConfigJson, RoundTripsEveryField) {
  for (bool pretty : {true, false}) {
    MachineConfig config = full_config();
    std::string text = to_json(config, pretty);
    auto parsed = parse_machine_config(text);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message() << "\n" << text;
    EXPECT_EQ(*parsed, config);
    EXPECT_EQ(to_json(*parsed, pretty), text);
  }
}

TEST(ConfigJson, RoundTripsDefaultsAndAbsentOptionals) {
  MachineConfig config;
  config.kernel.path = "k";
  config.console = {ConsoleMode::kFile, "console.log"};
  auto parsed = parse_machine_config(to_json(config, false));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  EXPECT_EQ(*parsed, config);
  EXPECT_FALSE(parsed->uuid);
  EXPECT_FALSE(parsed->kernel.initrd);
  EXPECT_FALSE(parsed->control.path);
}

// The on-disk format is an interface: this is what vmmd writes.
TEST(ConfigJson, WritesTheDocumentedLayout) {
  MachineConfig config;
  config.kernel.path = "/boot/vmlinux";
  config.kernel.cmdline = "console=ttyS0";
  EXPECT_EQ(to_json(config, true), R"({
  "version": 1,
  "name": "vmm",
  "kernel": {
    "path": "/boot/vmlinux",
    "boot": "auto",
    "cmdline": "console=ttyS0"
  },
  "memory": {
    "size_mib": 256,
    "hugepages": false
  },
  "vcpu": {
    "num": 1
  },
  "console": {
    "mode": "stdio"
  },
  "control": {},
  "on_reboot": "exit",
  "shutdown_timeout_s": 30,
  "acpi": true,
  "block": [],
  "net": [],
  "virtio_console": false,
  "rng": false
})");
  EXPECT_EQ(to_json(config, false).find('\n'), std::string::npos);
}

TEST(ConfigJson, AcceptsCurrentVersionAndRejectsNewer) {
  EXPECT_TRUE(parse_machine_config(R"({"version": 1, "kernel": {"path": "k"}})").ok());
  expect_error(parse_machine_config(R"({"version": 2, "kernel": {"path": "k"}})"),
               ConfigErrc::kUnsupportedVersion, "\"version\" is 2, this vmm reads up to 1");
  expect_error(parse_machine_config(R"({"version": 0, "kernel": {"path": "k"}})"), ConfigErrc::kInvalidValue,
               "\"version\"");
}

TEST(ConfigJson, AcceptsUnicodePathsAndEscapes) {
  auto config =
      parse_machine_config(R"({"kernel": {"path": "/srv/gäste/\u00e9t\u00e9.img", "cmdline": "a\/b"}})");
  ASSERT_TRUE(config.ok()) << config.error().message();
  EXPECT_EQ(config->kernel.path, "/srv/gäste/été.img");
  EXPECT_EQ(config->kernel.boot, BootProtocol::kAuto);
  EXPECT_EQ(config->kernel.cmdline, "a/b");
  EXPECT_EQ(*parse_machine_config(to_json(*config)), *config);
}

class ConfigFile : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/vmm-config-test-XXXXXX";
    int fd = mkstemp(pattern);
    ASSERT_GE(fd, 0);
    close(fd);
    path_ = pattern;
  }
  void TearDown() override { std::remove(path_.c_str()); }
  void write(const std::string& text) { std::ofstream(path_, std::ios::binary) << text; }

  std::string path_;
};

TEST_F(ConfigFile, LoadsAFile) {
  write(to_json(full_config()) + "\n");
  auto config = load_machine_config_file(path_);
  ASSERT_TRUE(config.ok()) << config.error().message();
  EXPECT_EQ(*config, full_config());
}

TEST_F(ConfigFile, ErrorsNameTheFile) {
  write(R"({"kernel": {"path": "k"}, "memroy": {}})");
  expect_error(load_machine_config_file(path_), ConfigErrc::kUnknownKey, path_ + ": unknown key \"memroy\"");
}

TEST_F(ConfigFile, MissingFileIsNamed) {
  auto config = load_machine_config_file(path_ + ".absent");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().code(), std::errc::no_such_file_or_directory);
  EXPECT_NE(config.error().message().find(path_ + ".absent"), std::string::npos);
}

TEST_F(ConfigFile, RejectsOversizedFile) {
  write(R"({"kernel": {"path": "k"}})" + std::string(kMaxMachineConfigBytes, ' '));
  expect_error(load_machine_config_file(path_), ConfigErrc::kTooLarge, path_);
}

TEST_F(ConfigFile, RejectsDirectory) {
  auto config = load_machine_config_file("/tmp");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().code(), std::errc::is_a_directory);
}

}  // namespace
}  // namespace vmm
