// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "context.hpp"

#include <ostream>

namespace vmmctl {

void Context::inform(const std::string& line) {
  if (!options_.quiet) err_ << line << '\n' << std::flush;
}

vmm::Result<ManagerClient*> Context::manager() {
  if (!manager_) {
    ConnectOptions connect{options_.host, options_.ask_password};
    VMM_TRY_ASSIGN(auto bus, BusClient::connect(connect));
    bus_ = std::make_unique<BusClient>(std::move(bus));
    manager_ = std::make_unique<ManagerClient>(*bus_);
  }
  return manager_.get();
}

}  // namespace vmmctl
