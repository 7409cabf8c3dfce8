// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// The verbs that change a machine's run state: start, stop, kill, reboot, pause, resume.
#include "verbs.hpp"

namespace vmmctl {

vmm::Result<void> verb_start(Context& ctx, const std::string& name,
                             const std::optional<ConsoleArgs>& console) {
  VMM_TRY_ASSIGN(auto* manager, ctx.manager());
  VMM_TRY(manager->start_machine(name));
  if (console) return verb_console(ctx, *console);
  ctx.inform("Started machine " + name + ".");
  return vmm::ok();
}

vmm::Result<void> verb_stop(Context& ctx, const std::string& name, uint32_t timeout_s, bool force) {
  if (force) return verb_kill(ctx, name);
  VMM_TRY_ASSIGN(auto* manager, ctx.manager());
  VMM_TRY(manager->stop_machine(name, timeout_s));
  ctx.inform("Stopped machine " + name + ".");
  return vmm::ok();
}

vmm::Result<void> verb_kill(Context& ctx, const std::string& name) {
  VMM_TRY_ASSIGN(auto* manager, ctx.manager());
  VMM_TRY(manager->kill_machine(name));
  ctx.inform("Killed machine " + name + ".");
  return vmm::ok();
}

vmm::Result<void> verb_reboot(Context& ctx, const std::string& name) {
  VMM_TRY_ASSIGN(auto* manager, ctx.manager());
  return manager->reboot_machine(name);
}

vmm::Result<void> verb_pause(Context& ctx, const std::string& name) {
  VMM_TRY_ASSIGN(auto* manager, ctx.manager());
  return manager->pause_machine(name);
}

vmm::Result<void> verb_resume(Context& ctx, const std::string& name) {
  VMM_TRY_ASSIGN(auto* manager, ctx.manager());
  return manager->resume_machine(name);
}

}  // namespace vmmctl
