// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <nlohmann/json.hpp>

#include <vmm/vmm/config_json.hpp>

namespace vmm {
namespace {

// ordered_json keeps the keys in the order a reader of the file expects.
using OrderedJson = nlohmann::ordered_json;

OrderedJson kernel_json(const KernelConfig& kernel) {
  OrderedJson out = {{"path", kernel.path}, {"boot", to_string(kernel.boot)}, {"cmdline", kernel.cmdline}};
  if (kernel.initrd) out["initrd"] = *kernel.initrd;
  return out;
}

OrderedJson console_json(const ConsoleConfig& console) {
  OrderedJson out = {{"mode", to_string(console.mode)}};
  if (console.path) out["path"] = *console.path;
  return out;
}

OrderedJson control_json(const ControlConfig& control) {
  OrderedJson out = OrderedJson::object();
  if (control.path) out["path"] = *control.path;
  return out;
}

OrderedJson bucket_json(const TokenBucketConfig& bucket) {
  return {{"size", bucket.size},
          {"one_time_burst", bucket.one_time_burst},
          {"refill_time_ms", bucket.refill_time_ms}};
}

OrderedJson rate_limit_json(const RateLimitConfig& limit) {
  OrderedJson out = OrderedJson::object();
  if (limit.bandwidth) out["bandwidth"] = bucket_json(*limit.bandwidth);
  if (limit.ops) out["ops"] = bucket_json(*limit.ops);
  return out;
}

OrderedJson block_json(const BlockConfig& disk) {
  OrderedJson out = {{"path", disk.path}, {"read_only", disk.read_only}};
  if (disk.id) out["id"] = *disk.id;
  out["direct_io"] = disk.direct_io;
  if (disk.rate_limit) out["rate_limit"] = rate_limit_json(*disk.rate_limit);
  return out;
}

OrderedJson net_json(const NetConfig& net) {
  OrderedJson out = {{"tap", net.tap}};
  if (net.mac) out["mac"] = *net.mac;
  if (net.rate_limit) out["rate_limit"] = rate_limit_json(*net.rate_limit);
  return out;
}

// The arrays are written even when empty, like every other key with a default.
void add_virtio_devices(OrderedJson& out, const MachineConfig& config) {
  out["block"] = OrderedJson::array();
  for (const BlockConfig& disk : config.block) out["block"].push_back(block_json(disk));
  out["net"] = OrderedJson::array();
  for (const NetConfig& net : config.net) out["net"].push_back(net_json(net));
  out["virtio_console"] = config.virtio_console;
  out["rng"] = config.rng;
  if (config.vsock) out["vsock"] = {{"cid", config.vsock->cid}, {"uds", config.vsock->uds}};
}

OrderedJson config_json(const MachineConfig& config) {
  OrderedJson out;
  out["version"] = MachineConfig::kFormatVersion;
  out["name"] = config.name;
  if (config.uuid) out["uuid"] = *config.uuid;
  out["kernel"] = kernel_json(config.kernel);
  out["memory"] = {{"size_mib", config.memory.size_mib}, {"hugepages", config.memory.hugepages}};
  out["vcpu"] = {{"num", config.vcpu.num}};
  out["console"] = console_json(config.console);
  out["control"] = control_json(config.control);
  out["on_reboot"] = to_string(config.on_reboot);
  out["shutdown_timeout_s"] = config.shutdown_timeout_s;
  out["acpi"] = config.acpi;
  add_virtio_devices(out, config);
  return out;
}

}  // namespace

std::string to_json(const MachineConfig& config, bool pretty) {
  // `replace` turns bytes that are not UTF-8 into U+FFFD instead of throwing;
  // validate() rejects such configs, so valid ones round-trip exactly.
  return config_json(config).dump(pretty ? 2 : -1, ' ', false, OrderedJson::error_handler_t::replace);
}

}  // namespace vmm
