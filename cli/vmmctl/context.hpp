// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include <vmm/base/result.hpp>

#include "bus_client.hpp"
#include "create_config.hpp"
#include "manager_client.hpp"

namespace vmmctl {

enum class JsonMode { kOff, kPretty, kShort };

// The options every verb shares (given before or after the verb).
struct GlobalOptions {
  std::optional<std::string> host;  // -H [USER@]HOST
  JsonMode json = JsonMode::kOff;
  bool legend = true;        // --no-legend clears it
  bool quiet = false;        // -q: no informational messages
  bool ask_password = true;  // --no-ask-password clears it; also off when stdin is not a tty
};

// What a verb works with: the options, its streams, the defaults baked in at
// build time, and the bus connection (opened on first use, so usage errors
// never touch the bus).
class Context {
 public:
  Context(GlobalOptions options, CreateDefaults defaults, std::ostream& out, std::ostream& err)
      : options_(std::move(options)), defaults_(std::move(defaults)), out_(out), err_(err) {}

  [[nodiscard]] const GlobalOptions& options() const { return options_; }
  [[nodiscard]] const CreateDefaults& defaults() const { return defaults_; }
  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }
  // Prints an informational line on stderr unless -q.
  void inform(const std::string& line);

  vmm::Result<ManagerClient*> manager();

 private:
  GlobalOptions options_;
  CreateDefaults defaults_;
  std::ostream& out_;
  std::ostream& err_;
  std::unique_ptr<BusClient> bus_;
  std::unique_ptr<ManagerClient> manager_;
};

}  // namespace vmmctl
