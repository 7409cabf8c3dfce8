// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <vmm/base/export.hpp>
#include <vmm/base/result.hpp>
#include <vmm/vmm/machine_config.hpp>

namespace vmm {

// vmm-reference style flags (`--kernel path=P,cmdline=C`, `--memory
// size_mib=N`, ...) applied to a MachineConfig. Pure functions: cli/vmm maps
// each flag to one call. docs/machine-config.md ("Flags") has the full rules.

struct KeyValue {
  std::string key;
  std::string value;

  bool operator==(const KeyValue&) const = default;
};
using KeyValueList = std::vector<KeyValue>;

// Splits "k1=v1,k2=v2" into pairs, in order. A value runs to the next comma
// and may contain '='. A value in double quotes (k="a,b") runs to the next
// '"' and may contain commas (it cannot contain '"'). An unquoted value of a
// key in `rest_keys` takes the rest of the text, commas included, so such a
// key must come last. Empty text, an item without '=', an empty key, a
// duplicate key and an unterminated quote are errors.
VMM_API Result<KeyValueList> parse_key_values(std::string_view text,
                                              std::initializer_list<std::string_view> rest_keys = {});

// Each apply_*_flag sets only what its flag names, checks it like validate()
// would, and fails with a message naming the flag and key
// ("--memory: unknown key \"sise_mib\""); the error code is
// ConfigErrc::kInvalidOption. The config is unchanged on error.

// --kernel path=PATH[,boot=auto|linux64|pvh][,initrd=PATH][,cmdline=CMDLINE]   (path is required;
// cmdline takes the rest of the text unless its value is quoted)
VMM_API Result<void> apply_kernel_flag(MachineConfig& config, std::string_view value);
// --memory size_mib=SIZE[,hugepages=on|off]   SIZE: 512, 512M, 2G (bare number = MiB)
VMM_API Result<void> apply_memory_flag(MachineConfig& config, std::string_view value);
// --vcpu num=N   (1..254)
VMM_API Result<void> apply_vcpu_flag(MachineConfig& config, std::string_view value);
// --initrd PATH
VMM_API Result<void> apply_initrd_flag(MachineConfig& config, std::string_view path);
// --console stdio | none | socket=PATH | file=PATH
VMM_API Result<void> apply_console_flag(MachineConfig& config, std::string_view value);
// --on-reboot exit | restart
VMM_API Result<void> apply_on_reboot_flag(MachineConfig& config, std::string_view value);

// The virtio device flags append a device (after those of --config) or, for
// --vsock, set the one vsock device. Besides each value they check what
// validate() checks across devices: no image or tap given twice, no MAC
// used twice, at most kMaxVirtioDevices in all. rate_bps=N (bytes per
// second, with parse_size units: 10M) and rate_iops=N / rate_pps=N (requests
// or frames per second) each become a token bucket of size N refilled over
// 1000 ms.

// --block path=PATH[,read_only=on|off][,id=ID][,direct=on|off][,rate_bps=N][,rate_iops=N]   (repeatable)
VMM_API Result<void> apply_block_flag(MachineConfig& config, std::string_view value);
// --net tap=NAME[,mac=MAC][,rate_bps=N][,rate_pps=N]   (repeatable)
VMM_API Result<void> apply_net_flag(MachineConfig& config, std::string_view value);
// --vsock cid=N,uds=PATH   (both required)
VMM_API Result<void> apply_vsock_flag(MachineConfig& config, std::string_view value);

}  // namespace vmm
