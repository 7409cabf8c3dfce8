// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// MachineConfig's device sections → libvmm's virtio devices.
#include <vmm/virtio/block.hpp>
#include <vmm/virtio/console.hpp>
#include <vmm/virtio/net.hpp>
#include <vmm/virtio/net_rate_limiter.hpp>
#include <vmm/virtio/rng.hpp>
#include <vmm/virtio/vsock.hpp>

#include "machine_virtio.hpp"

namespace vmm {
namespace {

Result<std::shared_ptr<virtio::VirtioDevice>> create_block(const BlockConfig& config) {
  virtio::BlockOptions options{config.path, config.read_only, config.id.value_or(""), config.direct_io,
                               config.rate_limit};
  auto device = virtio::BlockDevice::create(options);
  if (!device) return device.error().with_context("block device " + config.path);
  return std::shared_ptr<virtio::VirtioDevice>(std::move(*device));
}

Result<void> add_net(VirtioDeviceSet& set, const NetConfig& config, std::string_view machine_name) {
  virtio::NetOptions options{config.tap, std::nullopt};
  if (config.mac) options.mac = parse_mac(*config.mac);
  auto device = virtio::NetDevice::create(options, machine_name);
  if (!device) return device.error().with_context("network device on tap " + config.tap);
  if (config.rate_limit) {
    auto limiter = virtio::NetRateLimiter::create(*config.rate_limit, **device);
    if (!limiter) return limiter.error().with_context("rate limit of tap " + config.tap);
    set.net_limiters.push_back(std::move(*limiter));
  }
  set.devices.push_back(std::move(*device));
  return ok();
}

}  // namespace

Result<VirtioDeviceSet> create_virtio_devices(const MachineConfig& config, ByteSink& console) {
  VirtioDeviceSet set;
  for (const auto& block : config.block) {
    VMM_TRY_ASSIGN(auto device, create_block(block));
    set.devices.push_back(std::move(device));
  }
  for (const auto& net : config.net) VMM_TRY(add_net(set, net, config.name));
  if (config.virtio_console) {
    VMM_TRY_ASSIGN(set.console, virtio::ConsoleDevice::create(console));
    set.devices.push_back(set.console);
  }
  if (config.rng) {
    VMM_TRY_ASSIGN(auto device, virtio::RngDevice::create());
    set.devices.push_back(std::move(device));
  }
  if (config.vsock) {
    auto device = virtio::VsockDevice::create(virtio::VsockOptions{config.vsock->cid, config.vsock->uds});
    if (!device) return device.error().with_context("vsock device on " + config.vsock->uds);
    set.devices.push_back(std::move(*device));
  }
  return set;
}

}  // namespace vmm
