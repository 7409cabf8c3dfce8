// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "json_output.hpp"

namespace vmmctl {

std::string json_text(const nlohmann::json& value, JsonMode mode) {
  const int indent = mode == JsonMode::kPretty ? 2 : -1;
  return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string json_text(const nlohmann::ordered_json& value, JsonMode mode) {
  const int indent = mode == JsonMode::kPretty ? 2 : -1;
  return value.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace vmmctl
