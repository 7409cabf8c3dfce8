// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <systemd/sd-bus.h>
#include <vmm/base/error.hpp>
#include <vmm/base/result.hpp>

#include "sd_handles.hpp"

namespace vmmd {

// A method call that vmmd answers later (after polkit or a systemd job).
// Copies share the message; exactly one reply should be sent.
class MethodCall {
 public:
  explicit MethodCall(sd_bus_message* message)
      : message_(sd_bus_message_ref(message), [](sd_bus_message* m) { (void)sd_bus_message_unref(m); }) {}

  [[nodiscard]] sd_bus_message* get() const { return message_.get(); }
  [[nodiscard]] std::string sender() const;

  void reply_empty() const;
  void reply_error(const vmm::Error& error) const;
  // Builds the reply with fill(reply); an error from fill is sent as Failed.
  void reply_with(const std::function<int(sd_bus_message*)>& fill) const;

 private:
  std::shared_ptr<sd_bus_message> message_;
};

// The outcome of a call vmmd made: the reply, or the D-Bus error in it.
using ReplyHandler = std::function<void(sd_bus_message* reply, const sd_bus_error* error)>;

// Sends call (a method call built by the caller) and runs handler once with
// its reply. The pending call belongs to the bus: closing the bus drops it
// without running handler. timeout_usec 0 = sd-bus's default (25 s).
vmm::Result<void> call_async(sd_bus* bus, sd_bus_message* call, ReplyHandler handler, uint64_t timeout_usec = 0);

// "Name: message" of a D-Bus error, for logs and wrapped errors.
std::string describe_bus_error(const sd_bus_error* error);

// A vmm::Error from a negative errno returned by sd-bus.
vmm::Error bus_errno_error(int negative_errno, const std::string& context);

}  // namespace vmmd
