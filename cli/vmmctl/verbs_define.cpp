// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// The verbs that change definitions: create, define, undefine, autostart.
#include <nlohmann/json.hpp>

#include <vmm/vmm/config_json.hpp>

#include "config_file.hpp"
#include "exit_status.hpp"
#include "machine_name.hpp"
#include "verbs.hpp"

namespace vmmctl {

vmm::Result<void> verb_create(Context& ctx, const CreateOptions& options, bool autostart, bool start,
                              const std::optional<ConsoleArgs>& console) {
  VMM_TRY_ASSIGN(auto config, build_create_config(options, ctx.defaults()));
  VMM_TRY_ASSIGN(auto* manager, ctx.manager());
  VMM_TRY(manager->create_machine(options.name, config));
  ctx.inform("Created machine " + options.name + ".");
  // The machine stays defined when a later step fails; the message says so.
  auto after_create = [&](const vmm::Error& e, const char* step) {
    return vmm::Error(static_cast<Failure>(exit_status(e)),
                      "machine " + options.name + " was created, but " + step + " failed: " + error_text(e));
  };
  if (autostart)
    if (auto r = manager->set_machine_autostart(options.name, true); !r)
      return after_create(r.error(), "autostart");
  if (start || console)
    if (auto r = manager->start_machine(options.name); !r) return after_create(r.error(), "starting it");
  if (console) return verb_console(ctx, *console);
  if (start) ctx.inform("Started machine " + options.name + ".");
  return vmm::ok();
}

vmm::Result<void> verb_define(Context& ctx, const std::string& file, const std::optional<std::string>& name) {
  VMM_TRY_ASSIGN(auto text, read_config_file(file));
  // Checked here as vmmd and vmm will check it, so a mistake is reported
  // (with line and column) before anything is sent.
  if (auto parsed = vmm::parse_machine_config(text); !parsed)
    return vmm::Error(Failure::kUsage, file + ": " + parsed.error().message());
  auto document = nlohmann::json::parse(text, nullptr, false);
  std::optional<std::string> config_name;
  if (document.is_object() && document.contains("name") && document["name"].is_string())
    config_name = document["name"].get<std::string>();
  if (name && config_name && *name != *config_name)
    return vmm::Error(Failure::kUsage,
                      file + ": its name \"" + *config_name + "\" differs from --name \"" + *name + "\"");
  auto chosen = name ? name : config_name;
  if (!chosen)
    return vmm::Error(Failure::kUsage, file + ": no \"name\" key; give the machine's name with --name");
  VMM_TRY(check_machine_name(*chosen));
  VMM_TRY_ASSIGN(auto* manager, ctx.manager());
  VMM_TRY(manager->create_machine(*chosen, text));
  ctx.inform("Defined machine " + *chosen + " from " + file + ".");
  return vmm::ok();
}

vmm::Result<void> verb_undefine(Context& ctx, const std::string& name) {
  VMM_TRY_ASSIGN(auto* manager, ctx.manager());
  VMM_TRY(manager->undefine_machine(name));
  ctx.inform("Undefined machine " + name + ".");
  return vmm::ok();
}

vmm::Result<void> verb_autostart(Context& ctx, const std::string& name, bool enable) {
  VMM_TRY_ASSIGN(auto* manager, ctx.manager());
  return manager->set_machine_autostart(name, enable);
}

}  // namespace vmmctl
