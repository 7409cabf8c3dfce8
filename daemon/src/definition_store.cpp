// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "definition_store.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include <nlohmann/json.hpp>
#include <vmm/vmm/config_json.hpp>

#include "atomic_file.hpp"
#include "daemon_error.hpp"
#include "machine_name.hpp"

namespace vmmd {
namespace {

constexpr std::string_view kJsonSuffix = ".json";
constexpr std::string_view kAutostartSuffix = ".autostart";
constexpr unsigned kDefinitionMode = 0644;

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Whether the document sets "name" itself (MachineConfig cannot tell an
// absent name from the default "vmm").
bool has_name_key(std::string_view json) {
  auto document = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  return document.is_object() && document.contains("name");
}

std::vector<std::string> list_names(const vmm::Fd& dir) {
  std::vector<std::string> files;
  vmm::Fd copy(openat(dir.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!copy) return files;
  DIR* stream = fdopendir(copy.get());
  if (stream == nullptr) return files;
  (void)copy.release();  // the DIR owns it now
  while (dirent* entry = readdir(stream)) {
    std::string_view file = entry->d_name;
    if (file.empty() || file[0] == '.' || !ends_with(file, kJsonSuffix)) continue;
    files.emplace_back(file);
  }
  closedir(stream);
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

vmm::Result<DefinitionStore> DefinitionStore::open(const std::string& state_dir, const std::string& runtime_dir) {
  std::string machines_dir = state_dir + "/machines";
  VMM_TRY_ASSIGN(vmm::Fd dir, open_directory(machines_dir, /*create=*/true));
  return DefinitionStore(std::move(dir), std::move(machines_dir), runtime_dir);
}

std::string DefinitionStore::definition_path(const std::string& name) const {
  return machines_dir_ + "/" + name + std::string(kJsonSuffix);
}

std::vector<Definition> DefinitionStore::load_all(std::vector<LoadProblem>& problems) const {
  std::vector<Definition> definitions;
  for (const std::string& file : list_names(dir_)) {
    std::string path = machines_dir_ + "/" + file;
    std::string name = file.substr(0, file.size() - kJsonSuffix.size());
    if (auto valid = check_machine_name(name); !valid) {
      problems.push_back({path, "the file name is not a valid machine name: " + bus_error_message(valid.error())});
      continue;
    }
    struct stat info {};
    if (fstatat(dir_.get(), file.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(info.st_mode)) {
      problems.push_back({path, "not a regular file"});
      continue;
    }
    auto config = vmm::load_machine_config_file(path);
    if (!config) {
      problems.push_back({path, config.error().message()});
      continue;
    }
    if (config->name != name) {
      problems.push_back({path, "its \"name\" \"" + config->name + "\" differs from the file name"});
      continue;
    }
    bool autostart = faccessat(dir_.get(), (name + std::string(kAutostartSuffix)).c_str(), F_OK, 0) == 0;
    definitions.push_back({std::move(name), std::move(*config), autostart});
  }
  return definitions;
}

vmm::Result<vmm::MachineConfig> DefinitionStore::prepare(std::string_view name, std::string_view json) const {
  VMM_TRY(check_machine_name(name));
  if (json.size() > vmm::kMaxMachineConfigBytes) {
    return daemon_error(DaemonErrc::kInvalidConfig, "machine config is larger than 1 MiB");
  }
  auto config = vmm::parse_machine_config(json);
  if (!config) return daemon_error(DaemonErrc::kInvalidConfig, config.error().message());
  if (has_name_key(json) && config->name != name) {
    return daemon_error(DaemonErrc::kInvalidConfig, "the config's \"name\" \"" + config->name +
                                                        "\" differs from the machine name \"" + std::string(name) +
                                                        "\"");
  }
  config->name = std::string(name);
  std::string sockets = runtime_dir_ + "/" + config->name;
  config->console = {vmm::ConsoleMode::kSocket, sockets + "/console"};
  config->control.path = sockets + "/control";
  if (auto valid = vmm::validate(*config); !valid) {
    return daemon_error(DaemonErrc::kInvalidConfig, valid.error().message());
  }
  return config;
}

vmm::Result<void> DefinitionStore::save(const std::string& name, const vmm::MachineConfig& config) const {
  std::string text = vmm::to_json(config) + "\n";
  return write_file_atomically(dir_, name + std::string(kJsonSuffix), text, kDefinitionMode);
}

vmm::Result<void> DefinitionStore::remove(const std::string& name) const {
  // The sidecar first: a crash in between leaves a plain definition, never
  // an autostart flag without one.
  VMM_TRY(remove_file_durably(dir_, name + std::string(kAutostartSuffix)));
  return remove_file_durably(dir_, name + std::string(kJsonSuffix));
}

vmm::Result<void> DefinitionStore::set_autostart(const std::string& name, bool enable) const {
  std::string sidecar = name + std::string(kAutostartSuffix);
  if (enable) return write_file_atomically(dir_, sidecar, "", kDefinitionMode);
  return remove_file_durably(dir_, sidecar);
}

}  // namespace vmmd
