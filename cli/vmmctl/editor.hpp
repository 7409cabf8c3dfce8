// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <string>

#include <vmm/base/result.hpp>

namespace vmmctl {

// The editor command: $VISUAL, else $EDITOR, else the first of editor,
// nano, vi found on $PATH. The command may carry arguments ("code --wait"):
// it is run by /bin/sh with the file as its last argument, as git and crontab do.
vmm::Result<std::string> choose_editor();

// Runs the editor on `path` and waits for it; a non-zero exit is an error.
vmm::Result<void> run_editor(const std::string& editor, const std::string& path);

}  // namespace vmmctl
