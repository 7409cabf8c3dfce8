// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "object_reader.hpp"

#include <algorithm>

#include "text_checks.hpp"

namespace vmm::json {

Result<ObjectReader> ObjectReader::open(const Json& value, std::string path, const ErrorCodes& codes) {
  if (value.is_object()) return ObjectReader(value, std::move(path), codes);
  std::string what = path.empty() ? "the document" : "\"" + path + "\"";
  return Error(codes.wrong_type, what + " must be an object, got " + std::string(type_name(value)));
}

Result<void> ObjectReader::only_keys(std::initializer_list<std::string_view> allowed) const {
  for (const auto& [key, value] : object_->items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      return Error(codes_->unknown_key, "unknown key " + text::quoted(path_of(key)));
  }
  return ok();
}

Result<std::optional<std::string>> ObjectReader::string(std::string_view key) const {
  const Json* value = find(key);
  if (!value) return std::optional<std::string>();
  if (!value->is_string()) return wrong_type(key, "a string", *value);
  return std::optional<std::string>(value->get<std::string>());
}

Result<std::optional<bool>> ObjectReader::boolean(std::string_view key) const {
  const Json* value = find(key);
  if (!value) return std::optional<bool>();
  if (!value->is_boolean()) return wrong_type(key, "true or false", *value);
  return std::optional<bool>(value->get<bool>());
}

Result<std::optional<uint64_t>> ObjectReader::integer(std::string_view key, uint64_t min,
                                                      uint64_t max) const {
  const Json* value = find(key);
  if (!value) return std::optional<uint64_t>();
  if (!value->is_number_integer()) return wrong_type(key, "an integer", *value);
  std::string range = std::to_string(min) + ".." + std::to_string(max);
  if (value->is_number_unsigned()) {
    auto number = value->get<uint64_t>();
    if (number >= min && number <= max) return std::optional<uint64_t>(number);
    return Error(codes_->invalid_value,
                 "\"" + path_of(key) + "\" must be " + range + ", got " + std::to_string(number));
  }
  auto negative = value->get<int64_t>();
  return Error(codes_->invalid_value,
               "\"" + path_of(key) + "\" must be " + range + ", got " + std::to_string(negative));
}

Result<std::optional<ObjectReader>> ObjectReader::object(std::string_view key) const {
  const Json* value = find(key);
  if (!value) return std::optional<ObjectReader>();
  VMM_TRY_ASSIGN(auto reader, open(*value, path_of(key), *codes_));
  return std::optional<ObjectReader>(std::move(reader));
}

Result<std::optional<std::vector<ObjectReader>>> ObjectReader::object_array(std::string_view key,
                                                                            size_t max_size) const {
  const Json* value = find(key);
  if (!value) return std::optional<std::vector<ObjectReader>>();
  if (!value->is_array()) return wrong_type(key, "an array", *value);
  if (value->size() > max_size)
    return Error(codes_->invalid_value, "\"" + path_of(key) + "\" has " + std::to_string(value->size()) +
                                            " entries, more than the limit of " + std::to_string(max_size));
  std::vector<ObjectReader> readers;
  readers.reserve(value->size());
  for (size_t i = 0; i < value->size(); ++i) {
    VMM_TRY_ASSIGN(auto reader, open((*value)[i], path_of(key) + "[" + std::to_string(i) + "]", *codes_));
    readers.push_back(std::move(reader));
  }
  return std::optional<std::vector<ObjectReader>>(std::move(readers));
}

Result<std::string> ObjectReader::required_string(std::string_view key) const {
  VMM_TRY_ASSIGN(auto value, string(key));
  if (!value) return missing(key);
  return std::move(*value);
}

Result<uint64_t> ObjectReader::required_integer(std::string_view key, uint64_t min, uint64_t max) const {
  VMM_TRY_ASSIGN(auto value, integer(key, min, max));
  if (!value) return missing(key);
  return *value;
}

Result<ObjectReader> ObjectReader::required_object(std::string_view key) const {
  VMM_TRY_ASSIGN(auto value, object(key));
  if (!value) return missing(key);
  return std::move(*value);
}

std::string ObjectReader::path_of(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

const Json* ObjectReader::find(std::string_view key) const {
  auto it = object_->find(key);
  return it == object_->end() ? nullptr : &*it;
}

Error ObjectReader::wrong_type(std::string_view key, std::string_view expected, const Json& value) const {
  return Error(codes_->wrong_type, "\"" + path_of(key) + "\" must be " + std::string(expected) + ", got " +
                                       std::string(type_name(value)));
}

Error ObjectReader::missing(std::string_view key) const {
  return Error(codes_->missing_key, "\"" + path_of(key) + "\" is required");
}

}  // namespace vmm::json
