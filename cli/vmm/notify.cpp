// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "notify.hpp"

#if VMM_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

namespace vmm::cli {
namespace {

void send(const std::string& message) {
#if VMM_HAVE_SYSTEMD
  (void)sd_notify(0, message.c_str());
#else
  (void)message;
#endif
}

}  // namespace

void notify_ready(const std::string& status) { send("READY=1\nSTATUS=" + status); }
void notify_status(const std::string& status) { send("STATUS=" + status); }
void notify_stopping(const std::string& status) { send("STOPPING=1\nSTATUS=" + status); }

}  // namespace vmm::cli
