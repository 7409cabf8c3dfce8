// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "editor.hpp"

#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <sstream>

#include "exit_status.hpp"

extern char** environ;

namespace vmmctl {
namespace {

bool on_path(const std::string& program) {
  const char* path = getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':'))
    if (!dir.empty() && access((dir + "/" + program).c_str(), X_OK) == 0) return true;
  return false;
}

}  // namespace

vmm::Result<std::string> choose_editor() {
  for (const char* variable : {"VISUAL", "EDITOR"})
    if (const char* value = getenv(variable); value && *value) return std::string(value);
  for (const char* program : {"editor", "nano", "vi"})
    if (on_path(program)) return std::string(program);
  return vmm::Error(Failure::kFailed, "no editor found: set $EDITOR");
}

vmm::Result<void> run_editor(const std::string& editor, const std::string& path) {
  // sh -c 'EDITOR "$1"' sh PATH: the file name is never parsed by the shell.
  std::string script = editor + " \"$1\"";
  const char* argv[] = {"sh", "-c", script.c_str(), "sh", path.c_str(), nullptr};
  pid_t pid = 0;
  int err = posix_spawn(&pid, "/bin/sh", nullptr, nullptr, const_cast<char* const*>(argv), environ);
  if (err != 0) return vmm::Error::from_errno(err, "starting the editor " + editor);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return vmm::Error::from_errno("waiting for the editor");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return vmm::Error(Failure::kFailed, "the editor " + editor + " failed; nothing was saved");
  return vmm::ok();
}

}  // namespace vmmctl
