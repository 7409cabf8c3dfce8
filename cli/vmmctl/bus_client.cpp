// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "bus_client.hpp"

#include <cerrno>
#include <string>

#include "exit_status.hpp"

namespace vmmctl {
namespace {

bool is_transport_errno(int err) {
  return err == ENOTCONN || err == ECONNRESET || err == ECONNREFUSED || err == EPIPE || err == ETIMEDOUT;
}

std::string bus_description(const ConnectOptions& options) {
  return options.host ? "the system bus of " + *options.host : "the system bus";
}

vmm::Error connect_error(int negative_errno, const ConnectOptions& options) {
  std::string where = bus_description(options);
  return vmm::Error(Failure::kDaemonUnreachable,
                    "cannot connect to " + where + ": " + std::system_category().message(-negative_errno));
}

// The message for an error reply: the daemon's own text, except for the
// bus's errors about a missing service, which name the cause instead.
std::string call_error_text(const BusError& error, const char* destination) {
  auto failure = failure_for_dbus_error(error.name() ? error.name() : "");
  if (failure == Failure::kDaemonUnreachable)
    return std::string("vmmd is not running (nobody owns ") + destination + " on the system bus)";
  if (error.message() && *error.message()) return error.message();
  return error.name() ? error.name() : "unknown D-Bus error";
}

}  // namespace

vmm::Result<BusClient> BusClient::connect(const ConnectOptions& options) {
  sd_bus* raw = nullptr;
  int r = options.host ? sd_bus_open_system_remote(&raw, options.host->c_str()) : sd_bus_open_system(&raw);
  if (r < 0) return connect_error(r, options);
  BusPtr bus(raw);
  r = sd_bus_set_allow_interactive_authorization(bus.get(), options.allow_interactive_authorization ? 1 : 0);
  if (r < 0) return connect_error(r, options);
  return BusClient(std::move(bus), bus_description(options));
}

vmm::Result<MessagePtr> BusClient::call(const char* destination, const char* path, const char* interface,
                                        const char* member, const Append& append, uint64_t timeout_usec) {
  sd_bus_message* raw = nullptr;
  int r = sd_bus_message_new_method_call(bus_.get(), &raw, destination, path, interface, member);
  if (r < 0) return reply_error(r, std::string("building the call ") + member);
  MessagePtr request(raw);
  if (append) {
    r = append(request.get());
    if (r < 0) return reply_error(r, std::string("building the call ") + member);
  }
  BusError error;
  sd_bus_message* reply = nullptr;
  r = sd_bus_call(bus_.get(), request.get(), timeout_usec, error.get(), &reply);
  if (r < 0) {
    // sd-bus reports a transport that died (ssh could not reach the host, the
    // bus went away) as a System.Error.* errno, not as a D-Bus error reply.
    if (!error.is_set() || is_transport_errno(-r)) {
      // No error reply: the connection itself failed (e.g. the SSH transport died).
      return vmm::Error(Failure::kDaemonUnreachable, "cannot reach " + where_ + " (" + member +
                                                         "): " + std::system_category().message(-r));
    }
    return vmm::Error(failure_for_dbus_error(error.name()), call_error_text(error, destination));
  }
  return MessagePtr(reply);
}

vmm::Error reply_error(int negative_errno, const std::string& what) {
  return vmm::Error(Failure::kFailed, what + ": " + std::system_category().message(-negative_errno));
}

}  // namespace vmmctl
