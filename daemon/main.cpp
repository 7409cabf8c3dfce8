// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// vmmd: keeps the machine definitions and serves org.vmmkit.vmm1 on the
// system bus (docs/vmmd.md). As machined does: build all state, register the
// objects, take the bus name, then tell systemd READY=1.
#include <csignal>
#include <cstdlib>
#include <string>

#include <CLI/CLI.hpp>
#include <systemd/sd-daemon.h>

#include "src/logging.hpp"
#include "src/manager.hpp"

namespace {

struct Options {
  std::string state_dir;
  std::string runtime_dir;
  bool verbose = false;
};

// systemd's StateDirectory=/RuntimeDirectory= set these; the first entry is ours.
std::string from_environment(const char* variable, const char* fallback) {
  const char* value = std::getenv(variable);
  if (value == nullptr || *value == '\0') return fallback;
  std::string text = value;
  return text.substr(0, text.find(':'));
}

int run(const Options& options) {
  auto log = vmmd::make_logger(options.verbose);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigprocmask(SIG_BLOCK, &signals, nullptr);

  sd_event* raw_event = nullptr;
  if (int r = sd_event_default(&raw_event); r < 0) {
    log->critical("cannot create the event loop: {}", vmm::Error::from_errno(-r, "sd_event").message());
    return EXIT_FAILURE;
  }
  vmmd::EventPtr event(raw_event);
  (void)sd_event_add_signal(event.get(), nullptr, SIGTERM, nullptr, nullptr);
  (void)sd_event_add_signal(event.get(), nullptr, SIGINT, nullptr, nullptr);

  sd_bus* raw_bus = nullptr;
  if (int r = sd_bus_open_system(&raw_bus); r < 0) {
    log->critical("cannot connect to the system bus: {}", vmm::Error::from_errno(-r, "sd_bus_open_system").message());
    return EXIT_FAILURE;
  }
  vmmd::BusPtr bus(raw_bus);

  auto store = vmmd::DefinitionStore::open(options.state_dir, options.runtime_dir);
  if (!store) {
    log->critical("{}", store.error().message());
    return EXIT_FAILURE;
  }
  vmmd::Manager manager(event.get(), std::move(bus), std::move(*store), log);
  if (auto started = manager.start(); !started) {
    log->critical("{}", started.error().message());
    return EXIT_FAILURE;
  }
  (void)sd_notify(0, "READY=1\nSTATUS=Serving org.vmmkit.vmm1");
  log->info("ready: org.vmmkit.vmm1, definitions in {}/machines, sockets in {}", options.state_dir,
            options.runtime_dir);
  int r = sd_event_loop(event.get());
  (void)sd_notify(0, "STOPPING=1");
  if (r < 0) {
    log->critical("event loop: {}", vmm::Error::from_errno(-r, "sd_event_loop").message());
    return EXIT_FAILURE;
  }
  return EXIT_SUCCESS;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  options.state_dir = from_environment("STATE_DIRECTORY", VMMD_STATE_DIR);
  options.runtime_dir = from_environment("RUNTIME_DIRECTORY", VMMD_RUNTIME_DIR);
  CLI::App app{"vmmkit management daemon: machine definitions and guests on the system D-Bus (org.vmmkit.vmm1)",
               "vmmd"};
  app.add_option("--state-dir", options.state_dir, "where machines/NAME.json live ($STATE_DIRECTORY)");
  app.add_option("--runtime-dir", options.runtime_dir, "where each guest's sockets live ($RUNTIME_DIRECTORY)");
  app.add_flag("-v,--verbose", options.verbose, "log debug messages");
  app.set_version_flag("--version", VMMKIT_VERSION);
  CLI11_PARSE(app, argc, argv);
  return run(options);
}
