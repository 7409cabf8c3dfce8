// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "context.hpp"

namespace vmmctl {

// JSON text for --json=pretty (indented) or --json=short (one line), with a
// final newline. Invalid UTF-8 from the daemon is replaced, never thrown.
std::string json_text(const nlohmann::json& value, JsonMode mode);
std::string json_text(const nlohmann::ordered_json& value, JsonMode mode);

}  // namespace vmmctl
