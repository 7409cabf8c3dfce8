// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "polkit_authority.hpp"

#include <string>

#include "daemon_error.hpp"

namespace vmmd {
namespace {

// CheckAuthorization flags (polkit's PolkitCheckAuthorizationFlags).
constexpr uint32_t kAllowUserInteraction = 1;

// The caller's effective uid from the bus (SO_PEERCRED via the bus daemon).
bool sender_is_root(sd_bus_message* call) {
  sd_bus_creds* raw = nullptr;
  if (sd_bus_query_sender_creds(call, SD_BUS_CREDS_EUID | SD_BUS_CREDS_UID | SD_BUS_CREDS_AUGMENT, &raw) < 0) {
    return false;
  }
  std::unique_ptr<sd_bus_creds, SdUnref<sd_bus_creds, sd_bus_creds_unref>> creds(raw);
  uid_t uid = 1;
  if (sd_bus_creds_get_euid(creds.get(), &uid) < 0 && sd_bus_creds_get_uid(creds.get(), &uid) < 0) return false;
  return uid == 0;
}

vmm::Error denied(const char* action, const std::string& why) {
  return daemon_error(DaemonErrc::kAccessDenied, std::string("not authorized for ") + action + why);
}

// Reads the (bba{ss}) result: is_authorized, is_challenge, details.
vmm::Result<void> read_decision(sd_bus_message* reply, const char* action) {
  int authorized = 0;
  int challenge = 0;
  int r = sd_bus_message_enter_container(reply, 'r', "bba{ss}");
  if (r >= 0) r = sd_bus_message_read(reply, "bb", &authorized, &challenge);
  if (r < 0) return denied(action, ": malformed answer from polkit");
  if (authorized) return vmm::ok();
  if (challenge) return denied(action, ": authentication is required (allow interactive authorization)");
  return denied(action, "");
}

}  // namespace

void PolkitAuthority::check(const MethodCall& call, const char* action, Decision decide) const {
  if (sender_is_root(call.get())) {
    decide(vmm::ok());
    return;
  }
  std::string sender = call.sender();
  uint32_t flags = sd_bus_message_get_allow_interactive_authorization(call.get()) > 0 ? kAllowUserInteraction : 0;
  sd_bus_message* raw = nullptr;
  int r = sd_bus_message_new_method_call(bus_, &raw, "org.freedesktop.PolicyKit1",
                                         "/org/freedesktop/PolicyKit1/Authority",
                                         "org.freedesktop.PolicyKit1.Authority", "CheckAuthorization");
  MessagePtr request(raw);
  if (r >= 0) {
    r = sd_bus_message_append(request.get(), "(sa{sv})sa{ss}us", "system-bus-name", 1, "name", "s", sender.c_str(),
                              action, 0, flags, "");
  }
  if (r < 0) {
    decide(denied(action, ": cannot ask polkit"));
    return;
  }
  // Interactive authentication waits for a person: allow minutes, not 25 s.
  uint64_t timeout = flags != 0 ? uint64_t{5} * 60 * 1000 * 1000 : 0;
  std::string action_name = action;
  auto sent = call_async(
      bus_, request.get(),
      [decide, action_name](sd_bus_message* reply, const sd_bus_error* error) {
        if (error != nullptr && sd_bus_error_is_set(error)) {
          decide(denied(action_name.c_str(), ": polkit is not available (" + describe_bus_error(error) + ")"));
          return;
        }
        decide(read_decision(reply, action_name.c_str()));
      },
      timeout);
  if (!sent) decide(denied(action, ": cannot ask polkit"));
}

}  // namespace vmmd
