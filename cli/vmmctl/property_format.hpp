// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "machine_info.hpp"

namespace vmmctl {

// `show`: one NAME=VALUE line per property, as `systemctl show` prints them
// (booleans yes/no). With a non-empty `only`, just those properties, in that order.
std::string format_show(const PropertyList& properties, const std::vector<std::string>& only);

// `status`: the human summary of a machine, like `machinectl status`.
// `now_usec` is CLOCK_REALTIME in microseconds (for "5min ago").
std::string format_status(const PropertyList& properties, uint64_t now_usec);

// "3s", "5min", "2h 4min", "3d 1h": the age shown after a timestamp.
std::string format_age(uint64_t seconds);

// The JSON object of a property list (native JSON types).
nlohmann::json properties_json(const PropertyList& properties);

}  // namespace vmmctl
