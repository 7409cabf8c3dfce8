// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json_document.hpp"

namespace vmm::json {

// Reads the members of one JSON object of a fixed schema. Every error names
// the member by its dotted path from the document root ("vcpu.num").
// Getters return nullopt for an absent key. The object must outlive the reader.
class ObjectReader {
 public:
  // Fails unless `value` is an object; `path` is its own dotted path ("" for the root).
  static Result<ObjectReader> open(const Json& value, std::string path, const ErrorCodes& codes);

  // Fails on the first key (in sorted order) that is not in `allowed`.
  Result<void> only_keys(std::initializer_list<std::string_view> allowed) const;

  Result<std::optional<std::string>> string(std::string_view key) const;
  Result<std::optional<bool>> boolean(std::string_view key) const;
  // An integral JSON number within min..max (1.0 and 1e3 are not integers here).
  Result<std::optional<uint64_t>> integer(std::string_view key, uint64_t min, uint64_t max) const;
  Result<std::optional<ObjectReader>> object(std::string_view key) const;
  // An array of at most max_size objects, each read with the path "key[i]"
  // ("block[1].path"); a longer array is refused before any element is read.
  Result<std::optional<std::vector<ObjectReader>>> object_array(std::string_view key, size_t max_size) const;

  Result<std::string> required_string(std::string_view key) const;
  Result<uint64_t> required_integer(std::string_view key, uint64_t min, uint64_t max) const;
  Result<ObjectReader> required_object(std::string_view key) const;

  [[nodiscard]] std::string path_of(std::string_view key) const;
  // The raw member, for values of more than one type; nullptr if absent.
  [[nodiscard]] const Json* find(std::string_view key) const;

 private:
  ObjectReader(const Json& object, std::string path, const ErrorCodes& codes)
      : object_(&object), path_(std::move(path)), codes_(&codes) {}

  [[nodiscard]] Error wrong_type(std::string_view key, std::string_view expected, const Json& value) const;
  [[nodiscard]] Error missing(std::string_view key) const;

  const Json* object_;
  std::string path_;
  const ErrorCodes* codes_;
};

// Stores a value a getter read; leaves `field` (its default) alone when the key was absent.
template <typename T, typename Field>
Result<void> assign(Result<std::optional<T>> read, Field& field) {
  if (!read) return std::move(read).error();
  if (*read) field = static_cast<Field>(std::move(**read));
  return ok();
}

}  // namespace vmm::json
