// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <string>

#include <vmm/vmm/error.hpp>
#include <vmm/vmm/machine_flags.hpp>

#include "config_test_util.hpp"

namespace vmm {
namespace {

using testing::expect_error;

MachineConfig bootable() {
  MachineConfig config;
  config.kernel.path = "k";
  return config;
}

TokenBucketConfig per_second(uint64_t size) { return {size, 0, 1000}; }

TEST(BlockFlag, PathOnlyTakesDefaults) {
  MachineConfig config = bootable();
  ASSERT_TRUE(apply_block_flag(config, "path=/img/root.raw").ok());
  ASSERT_EQ(config.block.size(), 1u);
  EXPECT_EQ(config.block[0], (BlockConfig{"/img/root.raw", false, std::nullopt, false, std::nullopt}));
  EXPECT_TRUE(validate(config).ok());
}

TEST(BlockFlag, AllKeys) {
  MachineConfig config = bootable();
  auto result = apply_block_flag(
      config, "rate_iops=500,path=\"/img/a,b.raw\",read_only=on,id=disk-0,direct=true,rate_bps=10M");
  ASSERT_TRUE(result.ok()) << result.error().message();
  RateLimitConfig limit{per_second(10 << 20), per_second(500)};
  EXPECT_EQ(config.block.at(0), (BlockConfig{"/img/a,b.raw", true, "disk-0", true, limit}));
  EXPECT_TRUE(validate(config).ok());
}

TEST(BlockFlag, OneRateGivesOneBucket) {
  MachineConfig config = bootable();
  ASSERT_TRUE(apply_block_flag(config, "path=a,rate_bps=4096").ok());
  ASSERT_TRUE(apply_block_flag(config, "path=b,rate_iops=1,read_only=off,direct=off").ok());
  EXPECT_EQ(config.block[0].rate_limit, (RateLimitConfig{per_second(4096), std::nullopt}));
  EXPECT_EQ(config.block[1].rate_limit, (RateLimitConfig{std::nullopt, per_second(1)}));
  EXPECT_FALSE(config.block[1].read_only);
}

TEST(BlockFlag, AppendsAfterExistingDisksInOrder) {
  MachineConfig config = bootable();
  config.block.push_back({"from-config.raw"});
  ASSERT_TRUE(apply_block_flag(config, "path=second.raw").ok());
  ASSERT_TRUE(apply_block_flag(config, "path=third.raw").ok());
  ASSERT_EQ(config.block.size(), 3u);
  EXPECT_EQ(config.block[0].path, "from-config.raw");
  EXPECT_EQ(config.block[1].path, "second.raw");
  EXPECT_EQ(config.block[2].path, "third.raw");
}

struct BadFlag {
  const char* value;
  const char* message;
};

void expect_block_rejects(const BadFlag& bad) {
  MachineConfig config = bootable();
  config.block.push_back({"used.raw"});
  MachineConfig before = config;
  expect_error(apply_block_flag(config, bad.value), ConfigErrc::kInvalidOption, bad.message);
  EXPECT_EQ(config, before) << bad.value;
}

TEST(BlockFlag, Rejections) {
  for (const BadFlag& bad : {
           BadFlag{"", "--block: expected key=value, got nothing"},
           BadFlag{"disk.raw", "--block: expected key=value, got \"disk.raw\""},
           BadFlag{"read_only=on", "--block: \"path\" is required"},
           BadFlag{"path=", "--block: \"path\" must not be empty"},
           BadFlag{"path=a\x01", "--block: \"path\" must not contain control characters"},
           BadFlag{"path=a,path=b", "--block: duplicate key \"path\""},
           BadFlag{"path=a,size=1", "--block: unknown key \"size\""},
           BadFlag{"path=a,readonly=on", "--block: unknown key \"readonly\""},
           BadFlag{"path=a,read_only=yes", "--block: \"read_only\" must be on or off, got \"yes\""},
           BadFlag{"path=a,direct=1", "--block: \"direct\" must be on or off, got \"1\""},
           BadFlag{"path=a,id=", "--block: \"id\" must be 1-20 bytes of printable ASCII"},
           BadFlag{"path=a,id=123456789012345678901", "--block: \"id\" must be 1-20 bytes"},
           BadFlag{"path=a,id=caf\xc3\xa9", "--block: \"id\" must be 1-20 bytes of printable ASCII"},
           BadFlag{"path=a,rate_bps=0", "--block: \"rate_bps\" must be 1..18446744073709551615, got 0"},
           BadFlag{"path=a,rate_bps=10X", "--block: \"rate_bps\" is an"},
           BadFlag{"path=a,rate_bps=", "--block: \"rate_bps\" is an"},
           BadFlag{"path=a,rate_bps=99999999999T", "--block: \"rate_bps\" is an"},
           BadFlag{"path=a,rate_iops=0", "--block: \"rate_iops\" must be 1.."},
           BadFlag{"path=a,rate_iops=1k", "--block: \"rate_iops\" must be a decimal number, got \"1k\""},
           BadFlag{"path=a,rate_iops=-1", "--block: \"rate_iops\" must be a decimal number"},
           BadFlag{"path=a,rate_iops=18446744073709551616",
                   "--block: \"rate_iops\" must be a decimal number"},
           BadFlag{"path=used.raw", "--block: \"path\" \"used.raw\" is already used by block[0]"},
       })
    expect_block_rejects(bad);
}

TEST(BlockFlag, StopsAtTheDeviceLimit) {
  MachineConfig config = bootable();
  config.rng = true;
  config.virtio_console = true;
  for (size_t i = 0; i + 2 < kMaxVirtioDevices; ++i)
    ASSERT_TRUE(apply_block_flag(config, "path=d" + std::to_string(i)).ok());
  EXPECT_TRUE(validate(config).ok());
  expect_error(apply_block_flag(config, "path=one-more"), ConfigErrc::kInvalidOption,
               "--block: the machine already has 16 virtio devices, the limit is 16");
  expect_error(apply_net_flag(config, "tap=tap0"), ConfigErrc::kInvalidOption,
               "--net: the machine already has 16");
  expect_error(apply_vsock_flag(config, "cid=3,uds=v"), ConfigErrc::kInvalidOption,
               "--vsock: the machine already has 16");
  EXPECT_EQ(config.block.size(), kMaxVirtioDevices - 2);
}

TEST(NetFlag, AllKeys) {
  MachineConfig config = bootable();
  ASSERT_TRUE(apply_net_flag(config, "tap=tap0").ok());
  ASSERT_TRUE(apply_net_flag(config, "mac=02:AB:cd:00:00:01,tap=vm-web.1,rate_bps=1G,rate_pps=10000").ok());
  ASSERT_EQ(config.net.size(), 2u);
  EXPECT_EQ(config.net[0], (NetConfig{"tap0", std::nullopt, std::nullopt}));
  RateLimitConfig limit{per_second(uint64_t{1} << 30), per_second(10000)};
  EXPECT_EQ(config.net[1], (NetConfig{"vm-web.1", "02:AB:cd:00:00:01", limit}));
  EXPECT_TRUE(validate(config).ok());
}

TEST(NetFlag, Rejections) {
  for (const BadFlag& bad : {
           BadFlag{"tap0", "--net: expected key=value, got \"tap0\""},
           BadFlag{"mac=02:00:00:00:00:01", "--net: \"tap\" is required"},
           BadFlag{"tap=", "--net: \"tap\" must be an interface name"},
           BadFlag{"tap=0123456789abcdef", "--net: \"tap\" must be an interface name of 1-15"},
           BadFlag{"tap=a/b", "--net: \"tap\" must be an interface name"},
           BadFlag{"tap=a:b", "--net: \"tap\" must be an interface name"},
           BadFlag{"tap=a b", "--net: \"tap\" must be an interface name"},
           BadFlag{"tap=tap%d", "--net: \"tap\" must be an interface name"},
           BadFlag{"tap=.", "--net: \"tap\" must be an interface name"},
           BadFlag{"tap=..", "--net: \"tap\" must be an interface name"},
           BadFlag{"tap=t\xc3\xa4p", "--net: \"tap\" must be an interface name"},
           BadFlag{"tap=t,ip=10.0.0.1", "--net: unknown key \"ip\""},
           BadFlag{"tap=t,mac=02:00:00:00:00", "--net: \"mac\" must be a MAC address"},
           BadFlag{"tap=t,mac=02-00-00-00-00-01", "--net: \"mac\" must be a MAC address"},
           BadFlag{"tap=t,mac=02:00:00:00:00:0g", "--net: \"mac\" must be a MAC address"},
           BadFlag{"tap=t,mac=2:00:00:00:00:01:", "--net: \"mac\" must be a MAC address"},
           BadFlag{"tap=t,mac=03:00:00:00:00:01", "--net: \"mac\" must be a unicast address"},
           BadFlag{"tap=t,mac=ff:ff:ff:ff:ff:ff", "--net: \"mac\" must be a unicast address"},
           BadFlag{"tap=t,mac=00:00:00:00:00:00", "--net: \"mac\" must not be 00:00:00:00:00:00"},
           BadFlag{"tap=t,rate_bps=0", "--net: \"rate_bps\" must be 1.."},
           BadFlag{"tap=t,rate_pps=x", "--net: \"rate_pps\" must be a decimal number"},
           BadFlag{"tap=t,rate_iops=1", "--net: unknown key \"rate_iops\""},
           BadFlag{"tap=tap0", "--net: \"tap\" \"tap0\" is already used by net[0]"},
           BadFlag{"tap=tap1,mac=02:aa:00:00:00:01",
                   "--net: \"mac\" \"02:aa:00:00:00:01\" is already used by net[0]"},
       }) {
    MachineConfig config = bootable();
    config.net.push_back({"tap0", "02:AA:00:00:00:01", std::nullopt});
    MachineConfig before = config;
    expect_error(apply_net_flag(config, bad.value), ConfigErrc::kInvalidOption, bad.message);
    EXPECT_EQ(config, before) << bad.value;
  }
}

TEST(VsockFlag, SetsTheDevice) {
  MachineConfig config = bootable();
  ASSERT_TRUE(apply_vsock_flag(config, "cid=3,uds=/run/vmmkit/web/vsock").ok());
  EXPECT_EQ(config.vsock, (VsockConfig{3, "/run/vmmkit/web/vsock"}));
  // A second --vsock (or one after --config) replaces the device; it does not add one.
  ASSERT_TRUE(apply_vsock_flag(config, "uds=v,cid=4294967294").ok());
  EXPECT_EQ(config.vsock, (VsockConfig{0xffff'fffe, "v"}));
  EXPECT_TRUE(validate(config).ok());
}

TEST(VsockFlag, Rejections) {
  std::string longest_uds(107 - 11, 'u');
  for (const BadFlag& bad : {
           BadFlag{"cid=3", "--vsock: \"uds\" is required"},
           BadFlag{"uds=v", "--vsock: \"cid\" is required"},
           BadFlag{"cid=2,uds=v", "--vsock: \"cid\" must be 3..4294967294, got 2"},
           BadFlag{"cid=0,uds=v", "--vsock: \"cid\" must be 3..4294967294, got 0"},
           BadFlag{"cid=4294967295,uds=v", "--vsock: \"cid\" must be 3..4294967294, got 4294967295"},
           BadFlag{"cid=0x10,uds=v", "--vsock: \"cid\" must be a decimal number, got \"0x10\""},
           BadFlag{"cid=3,uds=", "--vsock: \"uds\" must not be empty"},
           BadFlag{"cid=3,uds=v,port=1", "--vsock: unknown key \"port\""},
       }) {
    MachineConfig config = bootable();
    expect_error(apply_vsock_flag(config, bad.value), ConfigErrc::kInvalidOption, bad.message);
    EXPECT_FALSE(config.vsock) << bad.value;
  }
  MachineConfig config = bootable();
  EXPECT_TRUE(apply_vsock_flag(config, "cid=3,uds=" + longest_uds).ok());
  expect_error(apply_vsock_flag(config, "cid=3,uds=" + longest_uds + "u"), ConfigErrc::kInvalidOption,
               "--vsock: \"uds\" is 97 bytes, more than the 96");
}

}  // namespace
}  // namespace vmm
