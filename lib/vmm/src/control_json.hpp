// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <nlohmann/json.hpp>

#include <vmm/vmm/control_protocol.hpp>

#include "object_reader.hpp"

// Pieces shared by the request and response halves of the control protocol.
namespace vmm::control {

// Requests and responses are flat objects; 2 lets a nested value be reported
// as a wrong type rather than as too deep.
inline constexpr size_t kMaxDepth = 2;

// Output keeps "id" and "ok" first, as a person reading the socket expects.
using OrderedJson = nlohmann::ordered_json;

[[nodiscard]] json::ErrorCodes codes(std::error_code code);
Result<ControlId> read_id(const json::ObjectReader& object, std::error_code code);
void put_id(OrderedJson& out, const ControlId& id);
// One line: compact JSON and '\n'; bytes that are not UTF-8 become U+FFFD.
[[nodiscard]] std::string to_line(const OrderedJson& out);

}  // namespace vmm::control
