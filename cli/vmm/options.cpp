// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "options.hpp"

#include <CLI/CLI.hpp>

#include <iostream>
#include <optional>
#include <vector>

#include <vmm/vmm/config_json.hpp>
#include <vmm/vmm/machine_flags.hpp>

namespace vmm::cli {
namespace {

constexpr const char* kDescription =
    "vmm - run one virtual machine on Linux KVM (vmmkit " VMMKIT_VERSION ")\n\n"
    "Boots an x86-64 Linux kernel (ELF vmlinux, PVH, or bzImage) with a 16550 serial console,\n"
    "an i8042 and a CMOS RTC. The guest's serial port is the console.\n";

constexpr const char* kFooter =
    "\nExamples:\n"
    "  vmm --kernel \"path=vmlinux,cmdline=console=ttyS0\" --memory size_mib=512M --vcpu num=2\n"
    "  vmm --config web.json --console socket=/run/vmmkit/web/console --control /run/vmmkit/web/control\n"
    "  vmm --kernel path=vmlinux --block path=root.raw,id=root --net tap=vmtap0,rate_bps=100M --rng\n\n"
    "--block and --net may be given more than once; they add to the devices of --config.\n"
    "Everything after cmdline= in --kernel is the command line, commas included.\n"
    "On a terminal the console is raw; press Ctrl-] to stop the machine.\n"
    "SIGTERM/SIGINT ask the guest to shut down (the ACPI power button, then Ctrl-Alt-Del after half of\n"
    "shutdown_timeout_s; Ctrl-Alt-Del only with --no-acpi) and stop it after shutdown_timeout_s.\n\n"
    "Exit status: 0 the guest powered off or reset; 1 error (a failed boot, a fatal vCPU exit, a guest\n"
    "kernel panic reported through the pvpanic port 0x505);\n"
    "2 invalid command line or configuration; 3 stopped from outside (stop request, shutdown timeout).\n";

struct RawFlags {
  std::optional<std::string> config, kernel, initrd, memory, vcpu, name, console, control, reboot;
  std::optional<std::string> vsock;
  std::vector<std::string> block, net;
  bool no_acpi = false, rng = false, virtio_console = false;
};

Result<void> apply(MachineConfig& config, const RawFlags& raw) {
  if (raw.kernel) VMM_TRY(apply_kernel_flag(config, *raw.kernel));
  if (raw.initrd) VMM_TRY(apply_initrd_flag(config, *raw.initrd));
  if (raw.memory) VMM_TRY(apply_memory_flag(config, *raw.memory));
  if (raw.vcpu) VMM_TRY(apply_vcpu_flag(config, *raw.vcpu));
  if (raw.console) VMM_TRY(apply_console_flag(config, *raw.console));
  if (raw.reboot) VMM_TRY(apply_on_reboot_flag(config, *raw.reboot));
  if (raw.name) config.name = *raw.name;
  if (raw.control) config.control.path = *raw.control;
  if (raw.no_acpi) config.acpi = false;
  // Devices from flags come after those of --config, in command-line order.
  for (const auto& disk : raw.block) VMM_TRY(apply_block_flag(config, disk));
  for (const auto& net : raw.net) VMM_TRY(apply_net_flag(config, net));
  if (raw.vsock) VMM_TRY(apply_vsock_flag(config, *raw.vsock));
  if (raw.virtio_console) config.virtio_console = true;
  if (raw.rng) config.rng = true;
  return validate(config);
}

}  // namespace

Result<Options> parse_options(int argc, char** argv) {
  CLI::App app{kDescription, "vmm"};
  app.footer(kFooter);
  app.set_version_flag("--version", "vmm (vmmkit) " VMMKIT_VERSION);
  RawFlags raw;
  bool options_dry_run = false;
  app.add_option("--config", raw.config, "Machine definition in JSON (vmm.json(5)); flags override it")->type_name("FILE");
  app.add_option("--kernel", raw.kernel, "Kernel image and command line")->type_name("path=P[,boot=auto|linux64|pvh][,cmdline=C]");
  app.add_option("--initrd", raw.initrd, "Initial ramdisk")->type_name("P");
  app.add_option("--memory", raw.memory, "Guest RAM; N in MiB or with a unit (512M, 2G)")->type_name("size_mib=N[,hugepages=on]");
  app.add_option("--vcpu", raw.vcpu, "Number of vCPUs")->type_name("num=N");
  app.add_option("--name", raw.name, "Machine name")->type_name("NAME");
  app.add_option("--console", raw.console, "Serial console (default stdio)")->type_name("stdio|socket=PATH|file=PATH|none");
  app.add_option("--control", raw.control, "Control socket (JSON lines: status, pause, resume, shutdown, stop)")->type_name("PATH");
  app.add_flag("--dry-run", options_dry_run, "Build the machine (KVM, memory, kernel, devices, vCPUs) and exit without running it");
  app.add_flag("--no-acpi", raw.no_acpi, "No ACPI tables: shutdown sends Ctrl-Alt-Del instead of pressing the power button");
  app.add_option("--reboot", raw.reboot, "What a guest reset does (default exit)")->type_name("exit|restart");
  app.add_option("--block", raw.block, "virtio-blk disk on a raw image (repeatable); rate_bps in bytes/s (10M), rate_iops in requests/s")->type_name("path=P[,read_only=on][,id=ID][,direct=on][,rate_bps=N][,rate_iops=N]")->allow_extra_args(false);
  app.add_option("--net", raw.net, "virtio-net interface on an existing tap (repeatable); rate_bps in bytes/s, rate_pps in frames/s")->type_name("tap=NAME[,mac=MAC][,rate_bps=N][,rate_pps=N]")->allow_extra_args(false);
  app.add_option("--vsock", raw.vsock, "virtio-vsock: guest CID and the host unix socket (guest connections to port P go to UDS_P)")->type_name("cid=N,uds=PATH");
  app.add_flag("--virtio-console", raw.virtio_console, "virtio console (hvc0) on the same console as the serial port");
  app.add_flag("--rng", raw.rng, "virtio-rng: entropy from the host's getrandom()");

  Options options;
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    options.exit_now = true;
    options.exit_code = app.exit(e);
    return options;
  } catch (const CLI::CallForVersion& e) {
    options.exit_now = true;
    options.exit_code = app.exit(e);
    return options;
  } catch (const CLI::ParseError& e) {
    return Error(std::make_error_code(std::errc::invalid_argument), e.what());
  }
  if (raw.config) {
    VMM_TRY_ASSIGN(options.config, load_machine_config_file(*raw.config));
  } else if (!raw.kernel) {
    return Error(std::make_error_code(std::errc::invalid_argument), "--kernel or --config is required (see --help)");
  }
  VMM_TRY(apply(options.config, raw));
  options.dry_run = options_dry_run;
  return options;
}

}  // namespace vmm::cli
