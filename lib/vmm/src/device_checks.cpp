// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "device_checks.hpp"

#include <string>

#include <vmm/vmm/error.hpp>

#include "field_checks.hpp"
#include "text_checks.hpp"

namespace vmm::field {
namespace {

// Besides what the kernel refuses ('/', ':', whitespace), '%' is refused:
// TUNSETIFF treats "tap%d" as a template and creates a new interface.
bool is_tap_name_char(char c) { return c > 0x20 && c < 0x7f && c != '/' && c != ':' && c != '%'; }

std::string member(std::string_view key, std::string_view name) {
  return std::string(key) + "." + std::string(name);
}

}  // namespace

Result<void> check_block_id(std::string_view key, std::string_view id) {
  if (!id.empty() && id.size() <= kMaxBlockIdBytes && text::is_printable_ascii(id)) return ok();
  return invalid_value(key, "must be 1-" + std::to_string(kMaxBlockIdBytes) +
                                " bytes of printable ASCII, got " + text::quoted(id));
}

Result<void> check_tap_name(std::string_view key, std::string_view tap) {
  bool valid = !tap.empty() && tap.size() <= kMaxTapNameBytes && tap != "." && tap != "..";
  for (char c : tap) valid = valid && is_tap_name_char(c);
  if (valid) return ok();
  return invalid_value(key,
                       "must be an interface name of 1-" + std::to_string(kMaxTapNameBytes) +
                           " printable ASCII characters without whitespace, '/', ':' or '%', not \".\" or "
                           "\"..\", got " +
                           text::quoted(tap));
}

Result<void> check_mac(std::string_view key, std::string_view mac) {
  auto address = parse_mac(mac);
  if (!address)
    return invalid_value(key, "must be a MAC address like 02:00:00:00:00:01, got " + text::quoted(mac));
  // The I/G bit (bit 0 of the first octet) marks group addresses (IEEE 802-2014, 8.2).
  if ((*address)[0] & 0x01)
    return invalid_value(key, "must be a unicast address (first octet even), got " + text::quoted(mac));
  if (*address == std::array<uint8_t, 6>{}) return invalid_value(key, "must not be 00:00:00:00:00:00");
  return ok();
}

Result<void> check_vsock_cid(std::string_view key, uint64_t cid) {
  // VIRTIO 1.2, 5.10.4: CIDs 0-2 are reserved (hypervisor, local, host) and 0xffffffff is VMADDR_CID_ANY.
  return check_range(key, cid, kMinVsockCid, kMaxVsockCid);
}

Result<void> check_vsock_uds(std::string_view key, std::string_view uds) {
  VMM_TRY(check_path(key, uds));
  if (uds.size() <= kMaxVsockUdsBytes) return ok();
  return invalid_value(
      key, "is " + std::to_string(uds.size()) + " bytes, more than the " + std::to_string(kMaxVsockUdsBytes) +
               " that leave room for the \"_PORT\" suffix " + "of guest connections in a unix socket path");
}

Result<void> check_token_bucket(std::string_view key, const TokenBucketConfig& bucket) {
  VMM_TRY(check_range(member(key, "size"), bucket.size, 1, UINT64_MAX));
  VMM_TRY(check_range(member(key, "one_time_burst"), bucket.one_time_burst, 0, kMaxOneTimeBurst));
  return check_range(member(key, "refill_time_ms"), bucket.refill_time_ms, 1, kMaxRefillTimeMs);
}

Result<void> check_rate_limit(std::string_view key, const RateLimitConfig& limit) {
  if (!limit.bandwidth && !limit.ops) return invalid_value(key, "must have \"bandwidth\", \"ops\" or both");
  if (limit.bandwidth) VMM_TRY(check_token_bucket(member(key, "bandwidth"), *limit.bandwidth));
  if (limit.ops) VMM_TRY(check_token_bucket(member(key, "ops"), *limit.ops));
  return ok();
}

size_t virtio_device_count(const MachineConfig& config) {
  // Each vector's size is below SIZE_MAX / 4, so the sum cannot wrap.
  return config.block.size() + config.net.size() + (config.virtio_console ? 1 : 0) + (config.rng ? 1 : 0) +
         (config.vsock ? 1 : 0);
}

}  // namespace vmm::field
