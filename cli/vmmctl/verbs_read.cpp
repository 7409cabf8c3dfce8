// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// The read verbs: list, status, show, dumpconfig, version. Each prints a
// human form or, with --json, a JSON document.
#include <ctime>
#include <ostream>

#include <nlohmann/json.hpp>

#include "exit_status.hpp"
#include "json_output.hpp"
#include "property_format.hpp"
#include "table.hpp"
#include "verbs.hpp"

namespace vmmctl {
namespace {

uint64_t realtime_usec() {
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  return static_cast<uint64_t>(now.tv_sec) * 1'000'000 + static_cast<uint64_t>(now.tv_nsec) / 1000;
}

nlohmann::json summary_json(const MachineSummary& m) {
  return {{"name", m.name}, {"state", m.state},       {"vcpus", m.vcpus}, {"memory_mib", m.memory_mib},
          {"unit", m.unit}, {"object", m.object_path}};
}

}  // namespace

vmm::Result<void> verb_list(Context& ctx, bool all) {
  VMM_TRY_ASSIGN(auto* manager, ctx.manager());
  VMM_TRY_ASSIGN(auto machines, manager->list_machines());
  std::erase_if(machines, [&](const MachineSummary& m) { return !all && m.state == "stopped"; });

  if (ctx.options().json != JsonMode::kOff) {
    auto array = nlohmann::json::array();
    for (const auto& m : machines) array.push_back(summary_json(m));
    ctx.out() << json_text(array, ctx.options().json);
    return vmm::ok();
  }
  Table table({{"NAME"}, {"STATE"}, {"VCPUS", Align::kRight}, {"MEMORY", Align::kRight}, {"UNIT"}});
  for (const auto& m : machines)
    table.add_row({m.name, m.state, std::to_string(m.vcpus), std::to_string(m.memory_mib) + "M", m.unit});
  ctx.out() << table.render(ctx.options().legend, count_footer(table.rows(), "machine", "machines"));
  return vmm::ok();
}

vmm::Result<void> verb_status(Context& ctx, const std::string& name) {
  VMM_TRY_ASSIGN(auto* manager, ctx.manager());
  VMM_TRY_ASSIGN(auto properties, manager->machine_properties(name));
  if (ctx.options().json != JsonMode::kOff)
    ctx.out() << json_text(properties_json(properties), ctx.options().json);
  else
    ctx.out() << format_status(properties, realtime_usec());
  return vmm::ok();
}

vmm::Result<void> verb_show(Context& ctx, const std::string& name, const std::vector<std::string>& only) {
  VMM_TRY_ASSIGN(auto* manager, ctx.manager());
  VMM_TRY_ASSIGN(auto properties, manager->machine_properties(name));
  if (ctx.options().json == JsonMode::kOff) {
    ctx.out() << format_show(properties, only);
    return vmm::ok();
  }
  if (!only.empty()) {
    PropertyList picked;
    for (const auto& wanted : only)
      for (const auto& p : properties)
        if (p.name == wanted) picked.push_back(p);
    properties = std::move(picked);
  }
  ctx.out() << json_text(properties_json(properties), ctx.options().json);
  return vmm::ok();
}

vmm::Result<void> verb_dumpconfig(Context& ctx, const std::string& name) {
  VMM_TRY_ASSIGN(auto* manager, ctx.manager());
  VMM_TRY_ASSIGN(auto config, manager->get_machine_config(name));
  if (ctx.options().json == JsonMode::kOff) {
    ctx.out() << config << (config.ends_with('\n') ? "" : "\n");
    return vmm::ok();
  }
  // ordered_json: the keys stay in vmmd's order (docs/machine-config.md).
  auto parsed = nlohmann::ordered_json::parse(config, nullptr, false);
  if (parsed.is_discarded()) return vmm::Error(Failure::kFailed, "vmmd sent a config that is not JSON");
  ctx.out() << json_text(parsed, ctx.options().json);
  return vmm::ok();
}

vmm::Result<void> verb_version(Context& ctx) {
  ctx.out() << "vmmctl (vmmkit) " VMMKIT_VERSION "\n";
  // The daemon's version when it can be reached; vmmctl's own is printed either way.
  auto manager = ctx.manager();
  if (!manager) return vmm::ok();
  auto version = (*manager)->daemon_version();
  if (version) ctx.out() << "vmmd " << printable(*version) << "\n";
  return vmm::ok();
}

}  // namespace vmmctl
