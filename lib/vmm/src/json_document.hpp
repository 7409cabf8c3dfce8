// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>

#include <nlohmann/json.hpp>

#include <vmm/base/result.hpp>

// The boundary to nlohmann-json for untrusted documents (config files,
// control requests): no exception gets past parse_document(). Private to the
// vmm component.
namespace vmm::json {

using Json = nlohmann::json;

// The error codes a caller wants for each kind of rejection.
struct ErrorCodes {
  std::error_code syntax;       // not JSON, too deeply nested
  std::error_code unknown_key;  // key outside the schema, duplicate key
  std::error_code wrong_type;
  std::error_code missing_key;
  std::error_code invalid_value;  // out of range
};

// Parses one JSON document. Rejects, with a one-line message: syntax errors
// (with line and column), duplicate keys in an object (RFC 8259 section 4
// leaves them undefined; we refuse rather than pick one), and nesting deeper
// than max_depth.
Result<Json> parse_document(std::string_view text, const ErrorCodes& codes, size_t max_depth);

// "string", "integer", "number" (non-integral), "boolean", "object", "array", "null".
[[nodiscard]] std::string_view type_name(const Json& value);

}  // namespace vmm::json
