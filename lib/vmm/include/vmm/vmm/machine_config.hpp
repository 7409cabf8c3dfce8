// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <vmm/base/export.hpp>
#include <vmm/base/result.hpp>
#include <vmm/ratelimit/token_bucket.hpp>

namespace vmm {

// The definition of one machine: what `vmm` boots and how it behaves. It is
// read from JSON (config_json.hpp; vmmd keeps one per machine in
// /var/lib/vmmkit/machines/NAME.json) or built from vmm-reference style flags
// (machine_flags.hpp), and checked by validate() before use. The format is
// documented key by key in docs/machine-config.md.

// Which entry point of the kernel image the vCPU starts at.
enum class BootProtocol {
  kAuto,     // PVH if the ELF image has a PVH note, otherwise the 64-bit Linux boot protocol
  kLinux64,  // 64-bit Linux boot protocol (Documentation/arch/x86/boot.rst): long mode, boot_params
  kPvh,      // Xen PVH entry (XEN_ELFNOTE_PHYS32_ENTRY): 32-bit protected mode, hvm_start_info
};

struct KernelConfig {
  std::string path;  // vmlinux (ELF) or bzImage; required
  BootProtocol boot = BootProtocol::kAuto;
  std::string cmdline;                // printable ASCII, at most kMaxCmdlineBytes
  std::optional<std::string> initrd;  // initramfs image

  bool operator==(const KernelConfig&) const = default;
};

struct MemoryConfig {
  uint64_t size_mib = 256;
  bool hugepages = false;  // back guest RAM with 2 MiB huge pages

  bool operator==(const MemoryConfig&) const = default;
};

struct VcpuConfig {
  uint32_t num = 1;

  bool operator==(const VcpuConfig&) const = default;
};

// Where the guest's serial console goes.
enum class ConsoleMode {
  kStdio,   // the vmm process's stdin/stdout
  kSocket,  // a unix socket at `path`: scrollback replayed to each reader
  kFile,    // output appended to the file at `path`; no input
  kNone,    // discarded
};

struct ConsoleConfig {
  ConsoleMode mode = ConsoleMode::kStdio;
  std::optional<std::string> path;  // required for socket and file, absent otherwise

  bool operator==(const ConsoleConfig&) const = default;
};

struct ControlConfig {
  std::optional<std::string> path;  // control socket (docs/control-protocol.md); none if absent

  bool operator==(const ControlConfig&) const = default;
};

// What happens when the guest reboots (i8042 reset, triple fault).
enum class RebootPolicy {
  kExit,     // the vmm process exits (a service manager may restart it)
  kRestart,  // the machine is rebuilt and boots again in the same process
};

// Rate limits of a device (token buckets of bytes and of operations), as
// lib/ratelimit takes them.
using TokenBucketConfig = ratelimit::TokenBucketConfig;
using RateLimitConfig = ratelimit::RateLimitConfig;

// A virtio-blk disk backed by a raw image file.
struct BlockConfig {
  std::string path;
  bool read_only = false;
  std::optional<std::string> id;  // VIRTIO_BLK_T_GET_ID serial, at most 20 bytes of printable ASCII
  bool direct_io = false;         // O_DIRECT: bypass the host page cache
  std::optional<RateLimitConfig> rate_limit;

  bool operator==(const BlockConfig&) const = default;
};

// A virtio-net interface backed by a tap device.
struct NetConfig {
  std::string tap;                 // interface name, at most 15 bytes
  std::optional<std::string> mac;  // "02:xx:xx:xx:xx:xx"; derived from the machine name if absent
  std::optional<RateLimitConfig> rate_limit;

  bool operator==(const NetConfig&) const = default;
};

// virtio-vsock mapped to unix sockets (Firecracker's hybrid vsock): host
// clients connect to `uds` and send "CONNECT PORT\n"; guest connections to
// host port P go to the listener at `uds`_P.
struct VsockConfig {
  uint64_t cid = 3;  // the guest's context ID, 3..2^32-2
  std::string uds;

  bool operator==(const VsockConfig&) const = default;
};

struct MachineConfig {
  // The format version written to JSON; parsing accepts this or older.
  static constexpr uint32_t kFormatVersion = 1;

  std::string name = "vmm";
  std::optional<std::string> uuid;  // 8-4-4-4-12 hex digits
  KernelConfig kernel;
  MemoryConfig memory;
  VcpuConfig vcpu;
  ConsoleConfig console;
  ControlConfig control;
  RebootPolicy on_reboot = RebootPolicy::kExit;
  // Seconds between asking the guest to power off and stopping it hard.
  uint32_t shutdown_timeout_s = 30;
  // ACPI tables (RSDP in 0xE0000-0xFFFFF), a GED power button and the S5
  // sleep register; the MP table is written either way.
  bool acpi = true;
  // virtio-mmio devices, in the order the guest finds them: disks, network
  // interfaces, console, rng, vsock.
  std::vector<BlockConfig> block;
  std::vector<NetConfig> net;
  bool virtio_console = false;  // hvc0, on the same console as the serial port
  bool rng = false;             // entropy from the host's getrandom()
  std::optional<VsockConfig> vsock;

  bool operator==(const MachineConfig&) const = default;
};

// Limits checked by validate().
inline constexpr size_t kMaxNameLength = 64;
inline constexpr size_t kMaxCmdlineBytes = 64 * 1024;         // the loader checks the kernel's own limit
inline constexpr size_t kMaxPathLength = 4095;                // PATH_MAX without the NUL
inline constexpr size_t kMaxSocketPathLength = 107;           // sizeof(sockaddr_un::sun_path) - 1
inline constexpr uint64_t kMaxMemoryMib = uint64_t{1} << 24;  // 16 TiB
inline constexpr uint32_t kMaxVcpus = 254;
inline constexpr uint32_t kMaxShutdownTimeoutS = 24 * 60 * 60;
// All virtio devices together (each takes an MMIO window and an IOAPIC pin).
inline constexpr size_t kMaxVirtioDevices = 16;
inline constexpr size_t kMaxBlockIdBytes = 20;  // VIRTIO_BLK_ID_BYTES
inline constexpr size_t kMaxTapNameBytes = 15;  // IFNAMSIZ - 1
inline constexpr uint64_t kMinVsockCid = 3;
inline constexpr uint64_t kMaxVsockCid = 0xffff'fffe;

// Checks every field against the limits above and the rules in
// docs/machine-config.md; the error names the key ("vcpu.num").
VMM_API Result<void> validate(const MachineConfig& config);

// The JSON spellings of the enums ("stdio", "restart").
VMM_API std::string_view to_string(ConsoleMode mode);
VMM_API std::string_view to_string(RebootPolicy policy);
VMM_API std::string_view to_string(BootProtocol protocol);
VMM_API std::optional<ConsoleMode> console_mode_from_string(std::string_view text);
VMM_API std::optional<RebootPolicy> reboot_policy_from_string(std::string_view text);
VMM_API std::optional<BootProtocol> boot_protocol_from_string(std::string_view text);

// A MAC address as NetConfig::mac spells it: six two-digit hex octets (either
// case) separated by ':'. parse_mac checks only the syntax; validate() also
// requires a unicast, non-zero address. format_mac writes lower case.
using MacAddress = std::array<uint8_t, 6>;
VMM_API std::optional<MacAddress> parse_mac(std::string_view text);
VMM_API std::string format_mac(const MacAddress& mac);

}  // namespace vmm
