// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <string>

#include <vmm/base/size.hpp>
#include <vmm/vmm/error.hpp>
#include <vmm/vmm/machine_flags.hpp>

#include "device_checks.hpp"
#include "field_checks.hpp"
#include "flag_parsing.hpp"
#include "text_checks.hpp"

namespace vmm {
namespace {

using flag::flag_error;
using flag::in_flag;
using flag::missing_key;
using flag::parse_decimal;
using flag::parse_switch;
using flag::unknown_key;

// The flags give a rate per second: a bucket of that many tokens refilled over one second.
constexpr uint64_t kFlagRefillTimeMs = 1000;

TokenBucketConfig per_second(uint64_t tokens) {
  return {.size = tokens, .one_time_burst = 0, .refill_time_ms = kFlagRefillTimeMs};
}

// rate_bps=10M: bytes per second, with the units of parse_size.
Result<TokenBucketConfig> parse_bytes_rate(std::string_view key, std::string_view text) {
  auto bytes = parse_size(text);
  if (!bytes) return field::invalid_value(key, "is an " + bytes.error().context());
  VMM_TRY(field::check_range(key, *bytes, 1, UINT64_MAX));
  return per_second(*bytes);
}

Result<TokenBucketConfig> parse_count_rate(std::string_view key, std::string_view text) {
  VMM_TRY_ASSIGN(auto count, parse_decimal(key, text));
  VMM_TRY(field::check_range(key, count, 1, UINT64_MAX));
  return per_second(count);
}

void set_bucket(std::optional<RateLimitConfig>& limit,
                std::optional<TokenBucketConfig> RateLimitConfig::*bucket, TokenBucketConfig value) {
  if (!limit) limit.emplace();
  (*limit).*bucket = value;
}

Result<BlockConfig> parse_block(const KeyValueList& items) {
  BlockConfig disk;
  bool has_path = false;
  for (const auto& [key, value] : items) {
    if (key == "path") {
      VMM_TRY(field::check_path(key, value));
      disk.path = value;
      has_path = true;
    } else if (key == "read_only") {
      VMM_TRY_ASSIGN(disk.read_only, parse_switch(key, value));
    } else if (key == "id") {
      VMM_TRY(field::check_block_id(key, value));
      disk.id = value;
    } else if (key == "direct") {
      VMM_TRY_ASSIGN(disk.direct_io, parse_switch(key, value));
    } else if (key == "rate_bps") {
      VMM_TRY_ASSIGN(auto bucket, parse_bytes_rate(key, value));
      set_bucket(disk.rate_limit, &RateLimitConfig::bandwidth, bucket);
    } else if (key == "rate_iops") {
      VMM_TRY_ASSIGN(auto bucket, parse_count_rate(key, value));
      set_bucket(disk.rate_limit, &RateLimitConfig::ops, bucket);
    } else {
      return unknown_key(key);
    }
  }
  if (!has_path) return missing_key("path");
  return disk;
}

Result<NetConfig> parse_net(const KeyValueList& items) {
  NetConfig net;
  bool has_tap = false;
  for (const auto& [key, value] : items) {
    if (key == "tap") {
      VMM_TRY(field::check_tap_name(key, value));
      net.tap = value;
      has_tap = true;
    } else if (key == "mac") {
      VMM_TRY(field::check_mac(key, value));
      net.mac = value;
    } else if (key == "rate_bps") {
      VMM_TRY_ASSIGN(auto bucket, parse_bytes_rate(key, value));
      set_bucket(net.rate_limit, &RateLimitConfig::bandwidth, bucket);
    } else if (key == "rate_pps") {
      VMM_TRY_ASSIGN(auto bucket, parse_count_rate(key, value));
      set_bucket(net.rate_limit, &RateLimitConfig::ops, bucket);
    } else {
      return unknown_key(key);
    }
  }
  if (!has_tap) return missing_key("tap");
  return net;
}

Result<VsockConfig> parse_vsock(const KeyValueList& items) {
  std::optional<uint64_t> cid;
  std::optional<std::string> uds;
  for (const auto& [key, value] : items) {
    if (key == "cid") {
      VMM_TRY_ASSIGN(cid, parse_decimal(key, value));
      VMM_TRY(field::check_vsock_cid(key, *cid));
    } else if (key == "uds") {
      VMM_TRY(field::check_vsock_uds(key, value));
      uds = value;
    } else {
      return unknown_key(key);
    }
  }
  if (!cid) return missing_key("cid");
  if (!uds) return missing_key("uds");
  return VsockConfig{*cid, std::move(*uds)};
}

Result<void> check_room_for_one_more(const MachineConfig& config) {
  size_t count = field::virtio_device_count(config);
  if (count < kMaxVirtioDevices) return ok();
  return Error(ConfigErrc::kInvalidOption, "the machine already has " + std::to_string(count) +
                                               " virtio devices, the limit is " +
                                               std::to_string(kMaxVirtioDevices));
}

Error already_used(std::string_view key, std::string_view value, std::string_view device, size_t index) {
  return Error(ConfigErrc::kInvalidOption, "\"" + std::string(key) + "\" " + text::quoted(value) +
                                               " is already used by " + std::string(device) + "[" +
                                               std::to_string(index) + "]");
}

Result<void> add_block(MachineConfig& config, BlockConfig disk) {
  VMM_TRY(check_room_for_one_more(config));
  for (size_t i = 0; i < config.block.size(); ++i)
    if (config.block[i].path == disk.path) return already_used("path", disk.path, "block", i);
  config.block.push_back(std::move(disk));
  return ok();
}

Result<void> add_net(MachineConfig& config, NetConfig net) {
  VMM_TRY(check_room_for_one_more(config));
  for (size_t i = 0; i < config.net.size(); ++i) {
    const NetConfig& other = config.net[i];
    if (other.tap == net.tap) return already_used("tap", net.tap, "net", i);
    if (net.mac && other.mac && parse_mac(*other.mac) == parse_mac(*net.mac))
      return already_used("mac", *net.mac, "net", i);
  }
  config.net.push_back(std::move(net));
  return ok();
}

}  // namespace

Result<void> apply_block_flag(MachineConfig& config, std::string_view value) {
  auto items = parse_key_values(value);
  if (!items) return flag_error("--block", items.error());
  auto disk = parse_block(*items);
  if (!disk) return flag_error("--block", disk.error());
  return in_flag("--block", add_block(config, std::move(*disk)));
}

Result<void> apply_net_flag(MachineConfig& config, std::string_view value) {
  auto items = parse_key_values(value);
  if (!items) return flag_error("--net", items.error());
  auto net = parse_net(*items);
  if (!net) return flag_error("--net", net.error());
  return in_flag("--net", add_net(config, std::move(*net)));
}

// --vsock replaces a vsock device from --config rather than adding a second one.
Result<void> apply_vsock_flag(MachineConfig& config, std::string_view value) {
  auto items = parse_key_values(value);
  if (!items) return flag_error("--vsock", items.error());
  auto vsock = parse_vsock(*items);
  if (!vsock) return flag_error("--vsock", vsock.error());
  if (!config.vsock) VMM_TRY(in_flag("--vsock", check_room_for_one_more(config)));
  config.vsock = std::move(*vsock);
  return ok();
}

}  // namespace vmm
