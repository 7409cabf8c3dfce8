// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// The virtio device sections of MachineConfig: JSON in and out.
#include <gtest/gtest.h>

#include <string>

#include <vmm/vmm/config_json.hpp>
#include <vmm/vmm/error.hpp>
#include <vmm/vmm/machine_config.hpp>

#include "config_test_util.hpp"

namespace vmm {
namespace {

using testing::expect_error;

MachineConfig with_every_device() {
  MachineConfig config;
  config.kernel.path = "vmlinux";
  RateLimitConfig both{TokenBucketConfig{10 << 20, 1 << 30, 100}, TokenBucketConfig{1000, 0, 3'600'000}};
  config.block = {
      {"/var/lib/vmmkit/images/root.raw", false, "root-disk", true, both},
      {"/srv/data é.raw", true, std::nullopt, false,
       RateLimitConfig{std::nullopt, TokenBucketConfig{1, 0, 1}}},
  };
  config.net = {
      {"tap0", "02:00:00:aa:BB:01",
       RateLimitConfig{TokenBucketConfig{uint64_t{1} << 40, uint64_t{1} << 40, 1}, {}}},
      {"vm-web.1", std::nullopt, std::nullopt},
  };
  config.virtio_console = true;
  config.rng = true;
  config.vsock = VsockConfig{0xffff'fffe, "/run/vmmkit/web/vsock"};
  return config;
}

TEST(DeviceJson, RoundTripsEveryDevice) {
  for (bool pretty : {true, false}) {
    MachineConfig config = with_every_device();
    ASSERT_TRUE(validate(config).ok()) << validate(config).error().message();
    std::string text = to_json(config, pretty);
    auto parsed = parse_machine_config(text);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message() << "\n" << text;
    EXPECT_EQ(*parsed, config);
    EXPECT_EQ(to_json(*parsed, pretty), text);
  }
}

TEST(DeviceJson, DefaultsWhenAbsent) {
  auto config = parse_machine_config(R"({"kernel": {"path": "k"}, "block": [{"path": "a"}],
      "net": [{"tap": "t"}], "vsock": {"cid": 3, "uds": "v"}})");
  ASSERT_TRUE(config.ok()) << config.error().message();
  EXPECT_EQ(config->block.at(0), (BlockConfig{"a", false, std::nullopt, false, std::nullopt}));
  EXPECT_EQ(config->net.at(0), (NetConfig{"t", std::nullopt, std::nullopt}));
  EXPECT_FALSE(config->virtio_console);
  EXPECT_FALSE(config->rng);
  EXPECT_EQ(config->vsock, (VsockConfig{3, "v"}));
  auto limited = parse_machine_config(
      R"({"kernel": {"path": "k"}, "block": [{"path": "a", "rate_limit": {"ops": {"size": 5}}}]})");
  ASSERT_TRUE(limited.ok()) << limited.error().message();
  EXPECT_EQ(limited->block.at(0).rate_limit, (RateLimitConfig{std::nullopt, TokenBucketConfig{5, 0, 1000}}));
}

// The on-disk layout of the device keys: arrays and switches always written, absent optionals left out.
TEST(DeviceJson, WritesTheDocumentedLayout) {
  MachineConfig config;
  config.kernel.path = "k";
  config.block = {
      {"root.raw", true, std::nullopt, false, RateLimitConfig{TokenBucketConfig{4096, 0, 1000}, {}}}};
  config.net = {{"tap0", "02:00:00:00:00:01", std::nullopt}};
  config.vsock = VsockConfig{3, "v.sock"};
  std::string text = to_json(config, false);
  EXPECT_NE(
      text.find(R"("acpi":true,"block":[{"path":"root.raw","read_only":true,"direct_io":false,)"
                R"("rate_limit":{"bandwidth":{"size":4096,"one_time_burst":0,"refill_time_ms":1000}}}],)"
                R"("net":[{"tap":"tap0","mac":"02:00:00:00:00:01"}],"virtio_console":false,"rng":false,)"
                R"("vsock":{"cid":3,"uds":"v.sock"}})"),
      std::string::npos)
      << text;
  MachineConfig plain;
  plain.kernel.path = "k";
  text = to_json(plain, false);
  EXPECT_NE(text.find(R"("block":[],"net":[],"virtio_console":false,"rng":false})"), std::string::npos)
      << text;
}

TEST(DeviceJson, ErrorsNameTheArrayElement) {
  expect_error(parse_machine_config(R"({"kernel": {"path": "k"}, "block": [{"path": "a"}, {"path": 1}]})"),
               ConfigErrc::kWrongType, "\"block[1].path\" must be a string, got integer");
  expect_error(
      parse_machine_config(R"({"kernel": {"path": "k"}, "net": [{"tap": "t"}, {"tap": "u", "ip": 1}]})"),
      ConfigErrc::kUnknownKey, "unknown key \"net[1].ip\"");
  expect_error(parse_machine_config(R"({"kernel": {"path": "k"}, "block": [{"path": "a"},
      {"path": "b", "rate_limit": {"bandwidth": {"size": 1, "refill_time_ms": 0}}}]})"),
               ConfigErrc::kInvalidValue,
               "\"block[1].rate_limit.bandwidth.refill_time_ms\" must be 1..3600000, got 0");
}

TEST(DeviceJson, ArraysAreBoundedWhileReading) {
  std::string disks;
  for (size_t i = 0; i <= kMaxVirtioDevices; ++i) disks += std::string(i ? "," : "") + "{}";
  expect_error(parse_machine_config(R"({"kernel": {"path": "k"}, "block": [)" + disks + "]}"),
               ConfigErrc::kInvalidValue, "\"block\" has 17 entries, more than the limit of 16");
  // A huge array of scalars is refused by the same check, before its elements are looked at.
  std::string many(99999, '1');
  for (size_t i = 1; i < many.size(); i += 2) many[i] = ',';
  expect_error(parse_machine_config(R"({"kernel": {"path": "k"}, "net": [)" + many + "]}"),
               ConfigErrc::kInvalidValue, "\"net\" has 50000 entries");
}

TEST(DeviceJson, RejectsDeviceKeys) {
  struct Case {
    const char* json;
    ConfigErrc code;
    const char* message;
  };
  const Case cases[] = {
      {R"("block": {"path": "a"})", ConfigErrc::kWrongType, "\"block\" must be an array, got object"},
      {R"("block": ["a"])", ConfigErrc::kWrongType, "\"block[0]\" must be an object, got string"},
      {R"("block": [{"read_only": true}])", ConfigErrc::kMissingKey, "\"block[0].path\" is required"},
      {R"("block": [{"path": "a", "read_only": "yes"}])", ConfigErrc::kWrongType,
       "\"block[0].read_only\" must be true or false, got string"},
      {R"("block": [{"path": "a", "direct": true}])", ConfigErrc::kUnknownKey,
       "unknown key \"block[0].direct\""},
      {R"("block": [{"path": "a", "path": "b"}])", ConfigErrc::kUnknownKey, "duplicate key \"path\""},
      {R"("block": [{"path": "a", "rate_limit": {}}])", ConfigErrc::kInvalidValue,
       "\"block[0].rate_limit\" must have \"bandwidth\", \"ops\" or both"},
      {R"("block": [{"path": "a", "rate_limit": {"iops": {"size": 1}}}])", ConfigErrc::kUnknownKey,
       "unknown key \"block[0].rate_limit.iops\""},
      {R"("block": [{"path": "a", "rate_limit": {"ops": {}}}])", ConfigErrc::kMissingKey,
       "\"block[0].rate_limit.ops.size\" is required"},
      {R"("block": [{"path": "a", "rate_limit": {"ops": {"size": 0}}}])", ConfigErrc::kInvalidValue,
       "\"block[0].rate_limit.ops.size\" must be 1..18446744073709551615, got 0"},
      {R"("block": [{"path": "a", "rate_limit": {"ops": {"size": 1, "one_time_burst": 1099511627777}}}])",
       ConfigErrc::kInvalidValue, "\"block[0].rate_limit.ops.one_time_burst\" must be 0..1099511627776"},
      {R"("block": [{"path": "a", "rate_limit": {"ops": {"size": 1, "burst": 1}}}])", ConfigErrc::kUnknownKey,
       "unknown key \"block[0].rate_limit.ops.burst\""},
      {R"("block": [{"path": "a", "rate_limit": {"ops": {"size": {"x": 1}}}}])", ConfigErrc::kSyntax,
       "nested deeper than 5 levels"},
      {R"("block": [{"path": "a", "id": "x"}, {"path": "a"}])", ConfigErrc::kInvalidValue,
       "\"block[1].path\" is the same file as block[0].path"},
      {R"("net": [{"mac": "02:00:00:00:00:01"}])", ConfigErrc::kMissingKey, "\"net[0].tap\" is required"},
      {R"("net": [{"tap": "t", "mac": "ff:ff:ff:ff:ff:ff"}])", ConfigErrc::kInvalidValue,
       "\"net[0].mac\" must be a unicast address"},
      {R"("net": [{"tap": "t", "mac": 2}])", ConfigErrc::kWrongType,
       "\"net[0].mac\" must be a string, got integer"},
      {R"("net": null)", ConfigErrc::kWrongType, "\"net\" must be an array, got null"},
      {R"("rng": 1)", ConfigErrc::kWrongType, "\"rng\" must be true or false, got integer"},
      {R"("virtio_console": "on")", ConfigErrc::kWrongType, "\"virtio_console\" must be true or false"},
      {R"("vsock": {"uds": "v"})", ConfigErrc::kMissingKey, "\"vsock.cid\" is required"},
      {R"("vsock": {"cid": 3})", ConfigErrc::kMissingKey, "\"vsock.uds\" is required"},
      {R"("vsock": {"cid": 2, "uds": "v"})", ConfigErrc::kInvalidValue,
       "\"vsock.cid\" must be 3..4294967294, got 2"},
      {R"("vsock": {"cid": -3, "uds": "v"})", ConfigErrc::kInvalidValue,
       "\"vsock.cid\" must be 3..4294967294, got -3"},
      {R"("vsock": {"cid": 4294967295, "uds": "v"})", ConfigErrc::kInvalidValue, "got 4294967295"},
      {R"("vsock": {"cid": 3, "uds": "v", "port": 1})", ConfigErrc::kUnknownKey,
       "unknown key \"vsock.port\""},
      {R"("vsock": [])", ConfigErrc::kWrongType, "\"vsock\" must be an object, got array"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.json);
    expect_error(parse_machine_config(std::string(R"({"kernel": {"path": "k"}, )") + c.json + "}"), c.code,
                 c.message);
  }
}

}  // namespace
}  // namespace vmm
