// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// sd_notify through libsystemd, loaded only when systemd asks for
// notifications (NOTIFY_SOCKET is set). Outside a service the vmm process
// then never maps libsystemd and the half-dozen libraries it pulls in,
// which keeps start-up time and resident memory small (see
// docs/benchmarks.md); under systemd the real library does the work.
#include "notify.hpp"

#include <dlfcn.h>

#include <cstdlib>

namespace vmm::cli {
namespace {

using SdNotify = int (*)(int unset_environment, const char* state);

// Resolved once per call site; cheap next to a state change of a VM.
SdNotify load_sd_notify() {
  if (std::getenv("NOTIFY_SOCKET") == nullptr) return nullptr;
  void* library = dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) return nullptr;  // no libsystemd: nothing to notify through
  return reinterpret_cast<SdNotify>(dlsym(library, "sd_notify"));
}

void send(const std::string& message) {
  if (SdNotify notify = load_sd_notify()) (void)notify(0, message.c_str());
}

}  // namespace

void notify_ready(const std::string& status) { send("READY=1\nSTATUS=" + status); }
void notify_status(const std::string& status) { send("STATUS=" + status); }
void notify_stopping(const std::string& status) { send("STOPPING=1\nSTATUS=" + status); }

}  // namespace vmm::cli
