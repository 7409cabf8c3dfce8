// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <vmm/base/result.hpp>
#include <vmm/vmm/machine_config.hpp>

// Checks of single virtio-device values, shared by validate() and the flag
// parsers; `key` names the value as in field_checks.hpp ("net[0].mac" in a
// config file, "mac" after "--net: " for a flag).
namespace vmm::field {

// Token buckets: a refill period of at most an hour, and a one-time burst of
// at most 1 TiB, keep the rate limiter's token arithmetic far from overflow.
inline constexpr uint64_t kMaxRefillTimeMs = 3'600'000;
inline constexpr uint64_t kMaxOneTimeBurst = uint64_t{1} << 40;
// vsock appends "_PORT" (at most "_4294967295") to `uds` for guest-initiated
// connections, and that name must still fit in sun_path.
inline constexpr size_t kVsockPortSuffixBytes = 11;
inline constexpr size_t kMaxVsockUdsBytes = kMaxSocketPathLength - kVsockPortSuffixBytes;

// 1..20 bytes of printable ASCII: the VIRTIO_BLK_T_GET_ID serial (VIRTIO 1.2, 5.2.6).
Result<void> check_block_id(std::string_view key, std::string_view id);
// A Linux interface name the kernel accepts (net/core/dev.c dev_valid_name).
Result<void> check_tap_name(std::string_view key, std::string_view tap);
// "xx:xx:xx:xx:xx:xx", a unicast address that is not all zero.
Result<void> check_mac(std::string_view key, std::string_view mac);
Result<void> check_vsock_cid(std::string_view key, uint64_t cid);
Result<void> check_vsock_uds(std::string_view key, std::string_view uds);
// `key` is the bucket's own path ("block[0].rate_limit.ops"); errors name its members.
Result<void> check_token_bucket(std::string_view key, const TokenBucketConfig& bucket);
Result<void> check_rate_limit(std::string_view key, const RateLimitConfig& limit);

// How many virtio-mmio devices the config asks for, without overflow.
[[nodiscard]] size_t virtio_device_count(const MachineConfig& config);

}  // namespace vmm::field
