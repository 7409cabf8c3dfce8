// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <systemd/sd-bus.h>

#include <memory>

namespace vmmctl {

// Owners of sd-bus objects: the connection is flushed and closed, a message
// unreferenced, an error freed when dropped.
struct BusCloser {
  void operator()(sd_bus* bus) const { sd_bus_flush_close_unref(bus); }
};
struct MessageUnref {
  void operator()(sd_bus_message* message) const { sd_bus_message_unref(message); }
};
using BusPtr = std::unique_ptr<sd_bus, BusCloser>;
using MessagePtr = std::unique_ptr<sd_bus_message, MessageUnref>;

class BusError {
 public:
  BusError() = default;
  BusError(const BusError&) = delete;
  BusError& operator=(const BusError&) = delete;
  ~BusError() { sd_bus_error_free(&error_); }

  sd_bus_error* get() { return &error_; }
  [[nodiscard]] bool is_set() const { return sd_bus_error_is_set(&error_) != 0; }
  [[nodiscard]] const char* name() const { return error_.name; }
  [[nodiscard]] const char* message() const { return error_.message; }

 private:
  // All zero is SD_BUS_ERROR_NULL (whose compound literal is C, not C++: clang refuses it).
  sd_bus_error error_{};
};

}  // namespace vmmctl
