// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// The virtio device sections of MachineConfig: validate() and MAC addresses.
#include <gtest/gtest.h>

#include <string>

#include <vmm/vmm/error.hpp>
#include <vmm/vmm/machine_config.hpp>

#include "config_test_util.hpp"

namespace vmm {
namespace {

using testing::expect_error;

MachineConfig valid() {
  MachineConfig config;
  config.kernel.path = "vmlinux";
  return config;
}

TEST(DeviceValidate, AcceptsTheLimits) {
  MachineConfig config = valid();
  config.block = {{"a", false, std::string(kMaxBlockIdBytes, '~')}};
  config.net = {{std::string(kMaxTapNameBytes, 't'), "fe:ff:ff:ff:ff:ff"}, {"..a", "00:00:00:00:00:01"}};
  config.vsock = VsockConfig{kMinVsockCid, std::string(kMaxSocketPathLength - 11, 'u')};
  config.virtio_console = config.rng = true;
  while (config.block.size() + 5 < kMaxVirtioDevices)
    config.block.push_back({"d" + std::to_string(config.block.size())});
  ASSERT_TRUE(validate(config).ok()) << validate(config).error().message();
  config.vsock->cid = kMaxVsockCid;
  EXPECT_TRUE(validate(config).ok());
}

TEST(DeviceValidate, CountsEveryKindOfDevice) {
  MachineConfig config = valid();
  for (size_t i = 0; i < kMaxVirtioDevices; ++i) config.block.push_back({"d" + std::to_string(i)});
  EXPECT_TRUE(validate(config).ok());
  for (auto add :
       {+[](MachineConfig& c) { c.rng = true; }, +[](MachineConfig& c) { c.virtio_console = true; },
        +[](MachineConfig& c) {
          c.vsock = VsockConfig{3, "v"};
        },
        +[](MachineConfig& c) { c.net.push_back({"tap0"}); }}) {
    MachineConfig more = config;
    add(more);
    expect_error(validate(more), ConfigErrc::kInvalidValue,
                 "ask for 17 virtio devices, more than the limit of 16");
  }
  // Far more than the limit is refused quickly (the pairwise checks never run).
  config.block.assign(100'000, BlockConfig{"same"});
  expect_error(validate(config), ConfigErrc::kInvalidValue, "ask for 100000 virtio devices");
}

struct BadDevice {
  void (*change)(MachineConfig&);
  const char* message;
};

TEST(DeviceValidate, RejectsEveryRule) {
  const BadDevice cases[] = {
      {[](MachineConfig& c) { c.block = {{""}}; }, "\"block[0].path\" must not be empty"},
      {[](MachineConfig& c) {
         c.block = {{"a"}, {"b\n"}};
       },
       "\"block[1].path\" must not contain control"},
      {[](MachineConfig& c) {
         c.block = {{"a"}, {"b"}, {"a"}};
       },
       "\"block[2].path\" is the same file as block[0].path"},
      {[](MachineConfig& c) {
         c.block = {{"a", false, ""}};
       },
       "\"block[0].id\" must be 1-20 bytes of printable ASCII"},
      {[](MachineConfig& c) {
         c.block = {{"a", false, std::string(21, 'i')}};
       },
       "\"block[0].id\" must be 1-20"},
      {[](MachineConfig& c) {
         c.block = {{"a", false, "tab\there"}};
       },
       "\"block[0].id\" must be"},
      {[](MachineConfig& c) {
         c.block = {{"a", false, {}, false, RateLimitConfig{}}};
       },
       "\"block[0].rate_limit\" must have \"bandwidth\", \"ops\" or both"},
      {[](MachineConfig& c) {
         c.block = {{"a", false, {}, false, RateLimitConfig{TokenBucketConfig{0}, {}}}};
       },
       "\"block[0].rate_limit.bandwidth.size\" must be 1..18446744073709551615, got 0"},
      {[](MachineConfig& c) {
         c.block = {{"a", false, {}, false, RateLimitConfig{{}, TokenBucketConfig{1, 0, 0}}}};
       },
       "\"block[0].rate_limit.ops.refill_time_ms\" must be 1..3600000, got 0"},
      {[](MachineConfig& c) {
         c.net = {{"t", {}, RateLimitConfig{{}, TokenBucketConfig{1, 0, 3'600'001}}}};
       },
       "\"net[0].rate_limit.ops.refill_time_ms\" must be 1..3600000, got 3600001"},
      {[](MachineConfig& c) {
         c.net = {{"t", {}, RateLimitConfig{TokenBucketConfig{1, (uint64_t{1} << 40) + 1, 1}, {}}}};
       },
       "\"net[0].rate_limit.bandwidth.one_time_burst\" must be 0..1099511627776, got 1099511627777"},
      {[](MachineConfig& c) { c.net = {{""}}; }, "\"net[0].tap\" must be an interface name of 1-15"},
      {[](MachineConfig& c) { c.net = {{std::string(16, 't')}}; },
       "\"net[0].tap\" must be an interface name"},
      {[](MachineConfig& c) { c.net = {{"a/b"}}; }, "\"net[0].tap\" must be"},
      {[](MachineConfig& c) { c.net = {{"a\tb"}}; }, "\"net[0].tap\" must be"},
      {[](MachineConfig& c) { c.net = {{".."}}; }, "\"net[0].tap\" must be"},
      {[](MachineConfig& c) {
         c.net = {{"t0"}, {"t1"}, {"t0"}};
       },
       "\"net[2].tap\" is the same interface as net[0].tap"},
      {[](MachineConfig& c) {
         c.net = {{"t", "02:00:00:00:00:1"}};
       },
       "\"net[0].mac\" must be a MAC address like"},
      {[](MachineConfig& c) {
         c.net = {{"t", "02:00:00:00:00:01 "}};
       },
       "\"net[0].mac\" must be a MAC address"},
      {[](MachineConfig& c) {
         c.net = {{"t", "02:00:00:00:00:0x"}};
       },
       "\"net[0].mac\" must be a MAC address"},
      {[](MachineConfig& c) {
         c.net = {{"t", "02:00:00:00:00:0-"}};
       },
       "\"net[0].mac\" must be a MAC address"},
      {[](MachineConfig& c) {
         c.net = {{"t", "02:00:00:00:00:01"}, {"u", "01:00:5e:00:00:01"}};
       },
       "\"net[1].mac\" must be a unicast address"},
      {[](MachineConfig& c) {
         c.net = {{"t", "00:00:00:00:00:00"}};
       },
       "\"net[0].mac\" must not be 00:00:00:00:00:00"},
      {[](MachineConfig& c) {
         c.net = {{"t", "02:00:00:00:00:AB"}, {"u", "02:00:00:00:00:ab"}};
       },
       "\"net[1].mac\" is the same address as net[0].mac"},
      {[](MachineConfig& c) {
         c.vsock = VsockConfig{2, "v"};
       },
       "\"vsock.cid\" must be 3..4294967294, got 2"},
      {[](MachineConfig& c) {
         c.vsock = VsockConfig{0xffff'ffff, "v"};
       },
       "\"vsock.cid\" must be 3..4294967294"},
      {[](MachineConfig& c) {
         c.vsock = VsockConfig{3, ""};
       },
       "\"vsock.uds\" must not be empty"},
      {[](MachineConfig& c) {
         c.vsock = VsockConfig{3, std::string(97, 'u')};
       },
       "\"vsock.uds\" is 97 bytes, more than the 96 that leave room for the \"_PORT\" suffix"},
  };
  for (const BadDevice& bad : cases) {
    MachineConfig config = valid();
    bad.change(config);
    expect_error(validate(config), ConfigErrc::kInvalidValue, bad.message);
  }
}

TEST(MacAddress, ParsesAndFormats) {
  EXPECT_EQ(parse_mac("02:aB:Cd:ef:00:9F"), (MacAddress{0x02, 0xab, 0xcd, 0xef, 0x00, 0x9f}));
  EXPECT_EQ(format_mac(MacAddress{0x02, 0xab, 0xcd, 0xef, 0x00, 0x9f}), "02:ab:cd:ef:00:9f");
  EXPECT_EQ(format_mac(*parse_mac("FF:FF:FF:FF:FF:FF")), "ff:ff:ff:ff:ff:ff");
  for (const char* bad : {"", "02:00:00:00:00", "02:00:00:00:00:001", "02.00.00.00.00.01",
                          "0200:00:00:00:01:", "g2:00:00:00:00:01", " 2:00:00:00:00:01", "+2:00:00:00:00:01",
                          "02:00:00:00:00:0"})
    EXPECT_FALSE(parse_mac(bad)) << bad;
}

}  // namespace
}  // namespace vmm
