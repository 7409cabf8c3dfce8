// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <vmm/vmm/config_json.hpp>

#include "create_config.hpp"
#include "exit_status.hpp"

namespace vmmctl {
namespace {

CreateDefaults defaults() {
  return {"/usr/share/vmmkit/guest/vmmkit-guest", "console=ttyS0 vmmkit.serve", "console=ttyS0",
          "/run/vmmkit", "/home/me"};
}

vmm::MachineConfig build(const CreateOptions& options, const CreateDefaults& d = defaults()) {
  auto json = build_create_config(options, d);
  EXPECT_TRUE(json) << json.error().message();
  auto config = vmm::parse_machine_config(*json);
  EXPECT_TRUE(config) << config.error().message();
  return *config;
}

std::string usage_error(const CreateOptions& options, const CreateDefaults& d = defaults()) {
  auto json = build_create_config(options, d);
  EXPECT_FALSE(json);
  if (json) return "";
  EXPECT_EQ(exit_status(json.error()), 2);
  return error_text(json.error());
}

TEST(CreateConfig, WithoutKernelBootsTheBundledGuestInServiceMode) {
  auto config = build({.name = "demo"});
  EXPECT_EQ(config.name, "demo");
  EXPECT_EQ(config.kernel.path, "/usr/share/vmmkit/guest/vmmkit-guest");
  EXPECT_EQ(config.kernel.cmdline, "console=ttyS0 vmmkit.serve");
  EXPECT_EQ(config.memory.size_mib, 256u);
  EXPECT_EQ(config.vcpu.num, 1u);
  EXPECT_FALSE(config.vsock);
}

TEST(CreateConfig, EveryOption) {
  CreateOptions o{.name = "web",
                  .kernel = "/srv/vmlinux",
                  .initrd = "initrd.img",
                  .cmdline = "console=ttyS0 ro",
                  .memory = "2G",
                  .vcpus = 2,
                  .disks = {"/srv/root.raw", "data.raw,ro"},
                  .nets = {"tap=vmtap0,mac=02:00:00:00:00:01"},
                  .rng = true,
                  .vsock_cid = 42};
  auto config = build(o);
  EXPECT_EQ(config.kernel.path, "/srv/vmlinux");
  EXPECT_EQ(config.kernel.initrd, "/home/me/initrd.img");
  EXPECT_EQ(config.kernel.cmdline, "console=ttyS0 ro");
  EXPECT_EQ(config.memory.size_mib, 2048u);
  EXPECT_EQ(config.vcpu.num, 2u);
  ASSERT_EQ(config.block.size(), 2u);
  EXPECT_EQ(config.block[0].path, "/srv/root.raw");
  EXPECT_FALSE(config.block[0].read_only);
  EXPECT_EQ(config.block[1].path, "/home/me/data.raw");
  EXPECT_TRUE(config.block[1].read_only);
  ASSERT_EQ(config.net.size(), 1u);
  EXPECT_EQ(config.net[0].tap, "vmtap0");
  EXPECT_EQ(config.net[0].mac, "02:00:00:00:00:01");
  EXPECT_TRUE(config.rng);
  ASSERT_TRUE(config.vsock);
  EXPECT_EQ(config.vsock->cid, 42u);
  EXPECT_EQ(config.vsock->uds, "/run/vmmkit/web/vsock");
}

TEST(CreateConfig, KernelWithoutCmdlineGetsTheSerialConsole) {
  EXPECT_EQ(build({.name = "k", .kernel = "/boot/vmlinux"}).kernel.cmdline, "console=ttyS0");
}

TEST(CreateConfig, MemorySizesAsVmmTakesThem) {
  EXPECT_EQ(build({.name = "m", .memory = "512M"}).memory.size_mib, 512u);
  EXPECT_EQ(build({.name = "m", .memory = "512"}).memory.size_mib, 512u);
  EXPECT_EQ(build({.name = "m", .memory = "1GiB"}).memory.size_mib, 1024u);
  for (const char* bad :
       {"", "M", "12Q", "-1", "0", "1.5G", "1536K", "99999999999999999999", "512M,hugepages=on", "17T"})
    EXPECT_NE(usage_error({.name = "m", .memory = bad}), "") << bad;
}

TEST(CreateConfig, BadNamesAndDevicesAreUsageErrors) {
  EXPECT_NE(usage_error({.name = "bad name"}).find("invalid machine name"), std::string::npos);
  EXPECT_NE(usage_error({.name = "n", .nets = {"vmtap0"}}).find("--net"), std::string::npos);
  EXPECT_NE(usage_error({.name = "n", .nets = {"tap=a/b"}}), "");
  EXPECT_NE(usage_error({.name = "n", .disks = {"/a.raw", "/a.raw"}}), "");
  EXPECT_NE(usage_error({.name = "n", .disks = {""}}), "");
  EXPECT_NE(usage_error({.name = "n", .cmdline = "tab\there"}), "");
}

TEST(CreateConfig, RemoteHostsNeedAbsolutePaths) {
  auto remote = defaults();
  remote.working_dir.clear();
  EXPECT_NE(usage_error({.name = "r", .kernel = "vmlinux"}, remote).find("absolute path on the remote host"),
            std::string::npos);
  EXPECT_EQ(build({.name = "r", .kernel = "/vmlinux"}, remote).kernel.path, "/vmlinux");
}

}  // namespace
}  // namespace vmmctl
