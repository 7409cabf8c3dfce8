// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <vmm/base/result.hpp>

#include "bus_handles.hpp"

namespace vmmctl {

struct ConnectOptions {
  std::optional<std::string> host;  // [USER@]HOST: the system bus of that machine over SSH
  bool allow_interactive_authorization = true;
};

// One connection to the system bus (local or remote) and method calls on it.
// Errors are vmm::Error values whose code is a Failure (exit_status.hpp) and
// whose context is a message for a person.
class BusClient {
 public:
  using Append = std::function<int(sd_bus_message*)>;

  static vmm::Result<BusClient> connect(const ConnectOptions& options);

  // Calls DESTINATION's method and returns the reply. `append` adds the
  // arguments (returns a negative errno on failure); `timeout_usec` 0 is
  // sd-bus's default (25 s).
  vmm::Result<MessagePtr> call(const char* destination, const char* path, const char* interface,
                               const char* member, const Append& append, uint64_t timeout_usec = 0);

 private:
  BusClient(BusPtr bus, std::string where) : bus_(std::move(bus)), where_(std::move(where)) {}
  BusPtr bus_;
  std::string where_;  // "the system bus of HOST", for messages
};

// A message's read failure as an Error ("reading the reply of ListMachines").
vmm::Error reply_error(int negative_errno, const std::string& what);

}  // namespace vmmctl
