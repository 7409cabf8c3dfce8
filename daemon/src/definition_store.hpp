// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <vmm/base/fd.hpp>
#include <vmm/base/result.hpp>
#include <vmm/vmm/machine_config.hpp>

namespace vmmd {

// A stored machine: STATE/machines/NAME.json, plus the empty sidecar file
// STATE/machines/NAME.autostart when the machine starts at boot.
struct Definition {
  std::string name;
  vmm::MachineConfig config;
  bool autostart = false;
};

// A definition file that could not be loaded; it stays on disk untouched.
struct LoadProblem {
  std::string path;
  std::string reason;
};

// The definitions folder. Every write is atomic and durable
// (atomic_file.hpp); a failed call leaves the folder as it was.
class DefinitionStore {
 public:
  // Opens (creating it if needed) STATE_DIR/machines. RUNTIME_DIR is where
  // each machine's sockets live (RUNTIME_DIR/NAME/console, .../control).
  static vmm::Result<DefinitionStore> open(const std::string& state_dir, const std::string& runtime_dir);

  // Every NAME.json with a valid name whose content passes MachineConfig
  // validation and whose "name" equals NAME; everything else is reported in
  // problems and skipped. Hidden files and other suffixes are ignored.
  std::vector<Definition> load_all(std::vector<LoadProblem>& problems) const;

  // Parses a config sent by a client for machine NAME: at most 1 MiB, the
  // same strict parsing and validation as vmm, a "name" key (if any) equal to
  // NAME; then sets the name and the console and control sockets vmmd uses.
  vmm::Result<vmm::MachineConfig> prepare(std::string_view name, std::string_view json) const;

  vmm::Result<void> save(const std::string& name, const vmm::MachineConfig& config) const;
  vmm::Result<void> remove(const std::string& name) const;
  vmm::Result<void> set_autostart(const std::string& name, bool enable) const;

  [[nodiscard]] std::string definition_path(const std::string& name) const;
  [[nodiscard]] const std::string& runtime_dir() const { return runtime_dir_; }

 private:
  DefinitionStore(vmm::Fd dir, std::string machines_dir, std::string runtime_dir)
      : dir_(std::move(dir)), machines_dir_(std::move(machines_dir)), runtime_dir_(std::move(runtime_dir)) {}

  vmm::Fd dir_;
  std::string machines_dir_;
  std::string runtime_dir_;
};

}  // namespace vmmd
