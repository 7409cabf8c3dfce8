// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "config_read_devices.hpp"

#include "device_checks.hpp"

namespace vmm {
namespace {

using json::assign;
using json::ObjectReader;

Result<std::optional<TokenBucketConfig>> read_bucket(const ObjectReader& limit, std::string_view key) {
  VMM_TRY_ASSIGN(auto reader, limit.object(key));
  if (!reader) return std::optional<TokenBucketConfig>();
  VMM_TRY(reader->only_keys({"size", "one_time_burst", "refill_time_ms"}));
  TokenBucketConfig bucket;
  VMM_TRY_ASSIGN(bucket.size, reader->required_integer("size", 1, UINT64_MAX));
  VMM_TRY(assign(reader->integer("one_time_burst", 0, field::kMaxOneTimeBurst), bucket.one_time_burst));
  VMM_TRY(assign(reader->integer("refill_time_ms", 1, field::kMaxRefillTimeMs), bucket.refill_time_ms));
  return std::optional<TokenBucketConfig>(bucket);
}

Result<std::optional<RateLimitConfig>> read_rate_limit(const ObjectReader& device) {
  VMM_TRY_ASSIGN(auto reader, device.object("rate_limit"));
  if (!reader) return std::optional<RateLimitConfig>();
  VMM_TRY(reader->only_keys({"bandwidth", "ops"}));
  RateLimitConfig limit;
  VMM_TRY_ASSIGN(limit.bandwidth, read_bucket(*reader, "bandwidth"));
  VMM_TRY_ASSIGN(limit.ops, read_bucket(*reader, "ops"));
  return std::optional<RateLimitConfig>(limit);
}

Result<BlockConfig> read_block(const ObjectReader& reader) {
  VMM_TRY(reader.only_keys({"path", "read_only", "id", "direct_io", "rate_limit"}));
  BlockConfig disk;
  VMM_TRY_ASSIGN(disk.path, reader.required_string("path"));
  VMM_TRY(assign(reader.boolean("read_only"), disk.read_only));
  VMM_TRY_ASSIGN(disk.id, reader.string("id"));
  VMM_TRY(assign(reader.boolean("direct_io"), disk.direct_io));
  VMM_TRY_ASSIGN(disk.rate_limit, read_rate_limit(reader));
  return disk;
}

Result<NetConfig> read_net(const ObjectReader& reader) {
  VMM_TRY(reader.only_keys({"tap", "mac", "rate_limit"}));
  NetConfig net;
  VMM_TRY_ASSIGN(net.tap, reader.required_string("tap"));
  VMM_TRY_ASSIGN(net.mac, reader.string("mac"));
  VMM_TRY_ASSIGN(net.rate_limit, read_rate_limit(reader));
  return net;
}

// Both keys are required: a CID is the guest's address, so it is never guessed.
Result<std::optional<VsockConfig>> read_vsock(const ObjectReader& root) {
  VMM_TRY_ASSIGN(auto reader, root.object("vsock"));
  if (!reader) return std::optional<VsockConfig>();
  VMM_TRY(reader->only_keys({"cid", "uds"}));
  VsockConfig vsock;
  VMM_TRY_ASSIGN(vsock.cid, reader->required_integer("cid", kMinVsockCid, kMaxVsockCid));
  VMM_TRY_ASSIGN(vsock.uds, reader->required_string("uds"));
  return std::optional<VsockConfig>(std::move(vsock));
}

// Each array is capped at the total device limit while reading, so a hostile
// document cannot make us build more than that many entries.
template <typename Device>
Result<void> read_array(const ObjectReader& root, std::string_view key,
                        Result<Device> (*read_one)(const ObjectReader&), std::vector<Device>& out) {
  VMM_TRY_ASSIGN(auto readers, root.object_array(key, kMaxVirtioDevices));
  if (!readers) return ok();
  for (const ObjectReader& reader : *readers) {
    VMM_TRY_ASSIGN(auto device, read_one(reader));
    out.push_back(std::move(device));
  }
  return ok();
}

}  // namespace

Result<void> read_virtio_devices(const ObjectReader& root, MachineConfig& config) {
  VMM_TRY(read_array(root, "block", read_block, config.block));
  VMM_TRY(read_array(root, "net", read_net, config.net));
  VMM_TRY(assign(root.boolean("virtio_console"), config.virtio_console));
  VMM_TRY(assign(root.boolean("rng"), config.rng));
  VMM_TRY_ASSIGN(config.vsock, read_vsock(root));
  return ok();
}

}  // namespace vmm
