// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <vmm/base/result.hpp>

#include "context.hpp"
#include "create_config.hpp"

namespace vmmctl {

// One function per verb; command_line.cpp maps the verb table onto them.
// Every NAME has been checked by check_machine_name before a verb runs.

struct ConsoleArgs {
  std::string name;
  // stdin not a terminal: after its end of file, leave once the console has
  // been quiet this long (seconds); nullopt waits until the console closes.
  std::optional<double> timeout_s;
};

// verbs_define.cpp
vmm::Result<void> verb_create(Context& ctx, const CreateOptions& options, bool autostart, bool start,
                              const std::optional<ConsoleArgs>& console);
vmm::Result<void> verb_define(Context& ctx, const std::string& file, const std::optional<std::string>& name);
vmm::Result<void> verb_undefine(Context& ctx, const std::string& name);
vmm::Result<void> verb_autostart(Context& ctx, const std::string& name, bool enable);

// verbs_lifecycle.cpp
vmm::Result<void> verb_start(Context& ctx, const std::string& name,
                             const std::optional<ConsoleArgs>& console);
vmm::Result<void> verb_stop(Context& ctx, const std::string& name, uint32_t timeout_s, bool force);
vmm::Result<void> verb_kill(Context& ctx, const std::string& name);
vmm::Result<void> verb_reboot(Context& ctx, const std::string& name);
vmm::Result<void> verb_pause(Context& ctx, const std::string& name);
vmm::Result<void> verb_resume(Context& ctx, const std::string& name);

// verbs_read.cpp
vmm::Result<void> verb_list(Context& ctx, bool all);
vmm::Result<void> verb_status(Context& ctx, const std::string& name);
vmm::Result<void> verb_show(Context& ctx, const std::string& name,
                            const std::vector<std::string>& properties);
vmm::Result<void> verb_dumpconfig(Context& ctx, const std::string& name);
vmm::Result<void> verb_version(Context& ctx);

// verb_console.cpp
vmm::Result<void> verb_console(Context& ctx, const ConsoleArgs& args);

// verb_edit.cpp
vmm::Result<void> verb_edit(Context& ctx, const std::string& name);

}  // namespace vmmctl
