// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// `edit NAME`: the stored config in $EDITOR; vmmd validates it
// (ReplaceMachineConfig) and, when it refuses, a person may edit again, as
// `crontab -e` offers.
#include <unistd.h>

#include <iostream>

#include <vmm/vmm/config_json.hpp>

#include "editor.hpp"
#include "exit_status.hpp"
#include "temp_file.hpp"
#include "verbs.hpp"

namespace vmmctl {
namespace {

// Asks on the terminal; anything but an answer starting with n/N is yes.
bool ask_edit_again(Context& ctx) {
  if (!isatty(STDIN_FILENO)) return false;
  ctx.err() << "Edit again? [Y/n] " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer.empty() || (answer[0] != 'n' && answer[0] != 'N');
}

}  // namespace

vmm::Result<void> verb_edit(Context& ctx, const std::string& name) {
  VMM_TRY_ASSIGN(auto* manager, ctx.manager());
  VMM_TRY_ASSIGN(auto original, manager->get_machine_config(name));
  VMM_TRY_ASSIGN(auto editor, choose_editor());
  VMM_TRY_ASSIGN(auto file, TempFile::create("vmmctl-" + name, ".json"));
  VMM_TRY(file.write(original.ends_with('\n') ? original : original + "\n"));
  for (;;) {
    VMM_TRY(run_editor(editor, file.path()));
    VMM_TRY_ASSIGN(auto edited, file.read(vmm::kMaxMachineConfigBytes));
    if (edited == original || edited == original + "\n") {
      ctx.inform("No changes to " + name + ".");
      return vmm::ok();
    }
    auto replaced = manager->replace_machine_config(name, edited);
    if (replaced) {
      ctx.inform("Saved the config of " + name + "; it takes effect at the next start.");
      return vmm::ok();
    }
    if (exit_status(replaced.error()) != static_cast<int>(Failure::kUsage)) return replaced;
    ctx.err() << "vmmctl: " << error_text(replaced.error()) << "\n";
    if (!ask_edit_again(ctx))
      return vmm::Error(Failure::kUsage, "the config of " + name + " was not changed");
  }
}

}  // namespace vmmctl
