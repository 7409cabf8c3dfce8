// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "command_line.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>

#include <filesystem>
#include <functional>
#include <ostream>
#include <vector>

#include "exit_status.hpp"
#include "machine_name.hpp"
#include "verbs.hpp"

namespace vmmctl {
namespace {

using Action = std::function<vmm::Result<void>(Context&)>;

constexpr const char* kDescription =
    "vmmctl - manage the virtual machines of vmmd (vmmkit " VMMKIT_VERSION ") over D-Bus";

const std::string kFooter =
    std::string(
        "\nExamples:\n"
        "  vmmctl create demo --start --console   a first VM from the bundled test guest\n"
        "  vmmctl create web --kernel /srv/vmlinux --cmdline 'console=ttyS0 root=/dev/vda' \\\n"
        "         --memory 1G --vcpus 2 --disk /srv/web.raw --net tap=vmtap0 --autostart\n"
        "  vmmctl list --all --json=pretty\n"
        "  echo 'hello' | vmmctl console demo --timeout 2\n\n"
        "In an interactive console press Ctrl+] to leave.\n\n") +
    kExitStatusHelp;

// The machine-name positional every NAME verb has, checked before any call.
CLI::Option* add_name(CLI::App* verb, std::string& name) {
  return verb->add_option("NAME", name, "Machine name")->required();
}

struct Verbs {
  std::vector<std::pair<CLI::App*, Action>> table;
  std::vector<std::string*> names;  // NAME positionals to check once parsed

  void add(CLI::App* verb, Action action) { table.emplace_back(verb, std::move(action)); }
};

struct ConsoleFlags {
  bool console = false;
  std::optional<double> timeout_s;
  [[nodiscard]] std::optional<ConsoleArgs> args(const std::string& name) const {
    if (!console) return std::nullopt;
    return ConsoleArgs{name, timeout_s};
  }
};

// All verb arguments, filled by CLI11; one instance per run.
struct Arguments {
  std::string name;
  CreateOptions create;
  bool autostart = false, start = false, all = false, force = false;
  ConsoleFlags console;
  std::string file, on_off;
  std::optional<std::string> define_name;
  uint32_t stop_timeout = 0;
  std::vector<std::string> properties;
};

void add_console_flags(CLI::App* verb, ConsoleFlags& flags, const char* what) {
  verb->add_flag("--console", flags.console, what);
  verb->add_option("--timeout", flags.timeout_s,
                   "With --console and stdin not a terminal: leave once the console is quiet for S seconds "
                   "after stdin ends")
      ->type_name("S")
      ->check(CLI::Range(0.0, 86400.0));
}

void add_create(CLI::App& app, Verbs& verbs, Arguments& a) {
  auto* v = app.add_subcommand("create", "Define a machine (by default the bundled test guest)");
  add_name(v, a.create.name);
  v->add_option("--kernel", a.create.kernel,
                "Kernel image (ELF vmlinux, PVH or bzImage) on the daemon's host")
      ->type_name("PATH");
  v->add_option("--initrd", a.create.initrd, "Initial ramdisk")->type_name("PATH");
  v->add_option("--cmdline", a.create.cmdline,
                "Kernel command line (default \"console=ttyS0\"; for the bundled guest \"console=ttyS0 "
                "vmmkit.serve\")")
      ->type_name("TEXT");
  v->add_option("--memory", a.create.memory, "Guest RAM: 512M, 2G, or a number of MiB (default 256M)")
      ->type_name("SIZE");
  v->add_option("--vcpus", a.create.vcpus, "Number of vCPUs (default 1)")
      ->type_name("N")
      ->check(CLI::Range(1, 254));
  v->add_option("--disk", a.create.disks, "virtio-blk disk on a raw image; ,ro for read-only (repeatable)")
      ->type_name("PATH[,ro]")
      ->allow_extra_args(false);
  v->add_option("--net", a.create.nets, "virtio-net on an existing tap device (repeatable)")
      ->type_name("tap=NAME[,mac=MAC]")
      ->allow_extra_args(false);
  v->add_flag("--rng", a.create.rng, "virtio entropy device");
  v->add_option("--vsock", a.create.vsock_cid,
                "virtio-vsock with this guest CID (socket /run/vmmkit/NAME/vsock)")
      ->type_name("CID")
      ->check(CLI::Range(uint64_t{3}, uint64_t{0xfffffffe}));
  v->add_flag("--autostart", a.autostart, "Start the machine when the host boots");
  v->add_flag("--start", a.start, "Start the machine after defining it");
  add_console_flags(v, a.console, "Start it and attach to its console");
  verbs.names.push_back(&a.create.name);
  verbs.add(v, [&a](Context& ctx) {
    return verb_create(ctx, a.create, a.autostart, a.start, a.console.args(a.create.name));
  });
}

void add_name_verb(CLI::App& app, Verbs& verbs, Arguments& a, const char* verb, const char* help,
                   vmm::Result<void> (*run)(Context&, const std::string&)) {
  auto* v = app.add_subcommand(verb, help);
  add_name(v, a.name);
  verbs.names.push_back(&a.name);
  verbs.add(v, [&a, run](Context& ctx) { return run(ctx, a.name); });
}

void add_verbs(CLI::App& app, Verbs& verbs, Arguments& a) {
  add_create(app, verbs, a);

  auto* define = app.add_subcommand("define", "Define a machine from a machine config file (vmm.json(5))");
  define->add_option("FILE", a.file, "JSON machine config, or - for stdin")->required();
  define->add_option("--name", a.define_name, "Machine name when the file has no \"name\" key")
      ->type_name("NAME");
  verbs.add(define, [&a](Context& ctx) { return verb_define(ctx, a.file, a.define_name); });

  auto* start = app.add_subcommand("start", "Start a machine");
  add_name(start, a.name);
  add_console_flags(start, a.console, "Attach to its console once started");
  verbs.names.push_back(&a.name);
  verbs.add(start, [&a](Context& ctx) { return verb_start(ctx, a.name, a.console.args(a.name)); });

  auto* console = app.add_subcommand("console", "Attach to a machine's console (Ctrl+] leaves)");
  add_name(console, a.name);
  console
      ->add_option("--timeout", a.console.timeout_s,
                   "stdin not a terminal: leave once the console is quiet for S seconds after stdin ends "
                   "(default: when the console closes)")
      ->type_name("S")
      ->check(CLI::Range(0.0, 86400.0));
  verbs.names.push_back(&a.name);
  verbs.add(console, [&a](Context& ctx) { return verb_console(ctx, {a.name, a.console.timeout_s}); });

  auto* stop =
      app.add_subcommand("stop", "Shut a machine down (ACPI power button), stop it hard after a timeout");
  add_name(stop, a.name);
  stop->add_option("--timeout", a.stop_timeout,
                   "Seconds before the hard stop (default: the machine's shutdown_timeout_s)")
      ->type_name("S")
      ->check(CLI::Range(0u, 86400u));
  stop->add_flag("--force", a.force, "Stop at once, as kill does");
  verbs.names.push_back(&a.name);
  verbs.add(stop, [&a](Context& ctx) { return verb_stop(ctx, a.name, a.stop_timeout, a.force); });

  add_name_verb(app, verbs, a, "kill", "Stop a machine at once (SIGKILL)", verb_kill);
  add_name_verb(app, verbs, a, "reboot", "Reboot a machine", verb_reboot);
  add_name_verb(app, verbs, a, "pause", "Pause a machine's vCPUs", verb_pause);
  add_name_verb(app, verbs, a, "resume", "Resume a paused machine", verb_resume);

  auto* list = app.add_subcommand("list", "List running machines (--all: every defined machine)");
  list->add_flag("-a,--all", a.all, "Also machines that are stopped");
  verbs.add(list, [&a](Context& ctx) { return verb_list(ctx, a.all); });

  add_name_verb(app, verbs, a, "status", "Show a machine's state, human readable", verb_status);

  auto* show = app.add_subcommand("show", "Show a machine's properties as NAME=VALUE lines");
  add_name(show, a.name);
  show->add_option("-p,--property", a.properties, "Only these properties (repeatable, or comma-separated)")
      ->type_name("NAME")
      ->delimiter(',')
      ->allow_extra_args(false);
  verbs.names.push_back(&a.name);
  verbs.add(show, [&a](Context& ctx) { return verb_show(ctx, a.name, a.properties); });

  add_name_verb(app, verbs, a, "dumpconfig", "Print a machine's stored config (JSON)", verb_dumpconfig);
  add_name_verb(app, verbs, a, "edit", "Edit a machine's config in $EDITOR; vmmd validates it before saving",
                verb_edit);
  add_name_verb(app, verbs, a, "undefine", "Remove a stopped machine's definition", verb_undefine);

  auto* autostart = app.add_subcommand("autostart", "Start a machine at boot (on) or not (off)");
  add_name(autostart, a.name);
  autostart->add_option("SWITCH", a.on_off, "on or off")
      ->required()
      ->check(CLI::IsMember({"on", "off"}).description(""));
  verbs.names.push_back(&a.name);
  verbs.add(autostart, [&a](Context& ctx) { return verb_autostart(ctx, a.name, a.on_off == "on"); });

  auto* version = app.add_subcommand("version", "Print vmmctl's version (and vmmd's when it is running)");
  verbs.add(version, [](Context& ctx) { return verb_version(ctx); });
}

void add_global_options(CLI::App& app, GlobalOptions& options, std::string& json, bool& no_legend,
                        bool& no_ask_password) {
  app.add_option("-H,--host", options.host, "Manage the machines of a remote host (over SSH)")
      ->type_name("[USER@]HOST");
  app.add_option("--json", json, "JSON output on the read verbs (list, status, show, dumpconfig)")
      ->type_name("pretty|short")
      ->check(CLI::IsMember({"pretty", "short"}).description(""));
  app.add_flag("--no-legend", no_legend, "No table header and footer");
  app.add_flag("-q,--quiet", options.quiet, "No informational messages");
  app.add_flag("--no-ask-password", no_ask_password, "Never ask for a password (polkit) on this terminal");
}

int fail(std::ostream& err, const vmm::Error& error) {
  err << "vmmctl: " << error_text(error) << '\n';
  return exit_status(error);
}

}  // namespace

int run_vmmctl(int argc, const char* const* argv, const CreateDefaults& defaults, std::ostream& out,
               std::ostream& err) {
  CLI::App app{kDescription, "vmmctl"};
  app.footer(kFooter);
  app.require_subcommand(1);
  app.fallthrough();  // global options also after the verb
  GlobalOptions options;
  std::string json;
  bool no_legend = false, no_ask_password = false;
  add_global_options(app, options, json, no_legend, no_ask_password);
  Verbs verbs;
  Arguments arguments;
  add_verbs(app, verbs, arguments);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    out << (app.get_subcommands().empty() ? app.help() : app.get_subcommands().front()->help());
    return 0;
  } catch (const CLI::Success&) {
    out << app.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    err << "vmmctl: " << e.what() << "\n";
    err << "Run 'vmmctl --help' for the verbs and options.\n";
    return static_cast<int>(Failure::kUsage);
  }

  options.json = json == "pretty" ? JsonMode::kPretty : json == "short" ? JsonMode::kShort : JsonMode::kOff;
  options.legend = !no_legend;
  options.ask_password = !no_ask_password && isatty(STDIN_FILENO);
  CreateDefaults verb_defaults = defaults;
  if (options.host) verb_defaults.working_dir.clear();  // local paths mean nothing on the remote host

  for (auto& [verb, action] : verbs.table) {
    if (!verb->parsed()) continue;
    for (const auto* name : verbs.names)
      if (!name->empty())
        if (auto checked = check_machine_name(*name); !checked) return fail(err, checked.error());
    Context ctx(options, verb_defaults, out, err);
    auto result = action(ctx);
    out.flush();
    if (!result) return fail(err, result.error());
    return 0;
  }
  return fail(err, vmm::Error(Failure::kUsage, "no verb given"));
}

}  // namespace vmmctl
