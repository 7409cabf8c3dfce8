// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// libFuzzer target for the machine config parser: any input either fails
// with an Error or yields a valid config that survives to_json -> parse
// unchanged (pretty and compact), and the flag parsers never crash.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <vmm/vmm/config_json.hpp>
#include <vmm/vmm/machine_flags.hpp>

namespace {

void check_round_trip(const vmm::MachineConfig& config, bool pretty) {
  std::string text = vmm::to_json(config, pretty);
  auto again = vmm::parse_machine_config(text);
  if (!again.ok() || !(*again == config) || vmm::to_json(*again, pretty) != text) std::abort();
}

// The same bytes as a flag value: parsing must not crash, and whatever the
// flags accept must pass validate() once a kernel path is there.
void check_flags(std::string_view text) {
  vmm::MachineConfig config;
  config.kernel.path = "k";
  (void)vmm::apply_kernel_flag(config, text);
  (void)vmm::apply_memory_flag(config, text);
  (void)vmm::apply_vcpu_flag(config, text);
  (void)vmm::apply_console_flag(config, text);
  (void)vmm::apply_block_flag(config, text);
  (void)vmm::apply_net_flag(config, text);
  (void)vmm::apply_vsock_flag(config, text);
  if (!vmm::validate(config).ok()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto config = vmm::parse_machine_config(text);
  if (config.ok()) {
    if (!vmm::validate(*config).ok()) std::abort();
    check_round_trip(*config, true);
    check_round_trip(*config, false);
  }
  check_flags(text);
  return 0;
}
