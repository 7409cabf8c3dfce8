// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "json_document.hpp"

#include <optional>
#include <set>
#include <vector>

#include "text_checks.hpp"

namespace vmm::json {
namespace {

constexpr size_t kMaxMessageBytes = 200;

// Tracks what nlohmann's callback parser sees: the keys of each open object
// (one set per depth, so memory is bounded by max_depth) and the first problem.
class StructureCheck {
 public:
  explicit StructureCheck(size_t max_depth) : max_depth_(max_depth) {}

  bool on_event(int depth, Json::parse_event_t event, const Json& parsed) {
    auto level = static_cast<size_t>(depth);
    switch (event) {
      case Json::parse_event_t::object_start:
      case Json::parse_event_t::array_start:
        return enter(level, event == Json::parse_event_t::object_start);
      case Json::parse_event_t::key:
        return add_key(level, parsed);
      default:
        return true;
    }
  }

  [[nodiscard]] const std::optional<std::string>& problem() const { return problem_; }
  [[nodiscard]] bool duplicate() const { return duplicate_; }

 private:
  // Returning false makes the parser discard the container: nothing deeper is stored.
  bool enter(size_t level, bool is_object) {
    if (level >= max_depth_) {
      fail("nested deeper than " + std::to_string(max_depth_) + " levels", false);
      return false;
    }
    if (is_object) {
      if (keys_.size() <= level) keys_.resize(level + 1);
      keys_[level].clear();
    }
    return true;
  }

  // Keys of the object that started at level - 1 arrive with depth == level.
  bool add_key(size_t level, const Json& key) {
    if (level == 0 || level > keys_.size() || !key.is_string()) return true;
    const auto& name = key.get_ref<const std::string&>();
    if (!keys_[level - 1].insert(name).second) fail("duplicate key " + text::quoted(name), true);
    return true;
  }

  void fail(std::string message, bool duplicate) {
    if (problem_) return;
    problem_ = std::move(message);
    duplicate_ = duplicate;
  }

  size_t max_depth_;
  std::vector<std::set<std::string>> keys_;
  std::optional<std::string> problem_;
  bool duplicate_ = false;
};

// nlohmann's what() is "[json.exception.parse_error.101] parse error at line 1, column 2: ...".
// Keep "line 1, column 2: ...", short and printable (it may quote the input).
std::string describe_exception(const nlohmann::json::exception& e) {
  std::string_view text = e.what();
  if (auto bracket = text.find("] "); bracket != std::string_view::npos) text.remove_prefix(bracket + 2);
  constexpr std::string_view kParseErrorAt = "parse error at ";
  if (text.starts_with(kParseErrorAt)) text.remove_prefix(kParseErrorAt.size());
  return text::printable(text, kMaxMessageBytes);
}

}  // namespace

Result<Json> parse_document(std::string_view text, const ErrorCodes& codes, size_t max_depth) {
  StructureCheck check(max_depth);
  Json::parser_callback_t callback = [&check](int depth, Json::parse_event_t event, Json& parsed) {
    return check.on_event(depth, event, parsed);
  };
  Json document;
  try {
    document = Json::parse(text.begin(), text.end(), callback);
  } catch (const nlohmann::json::exception& e) {
    return Error(codes.syntax, describe_exception(e));
  }
  if (check.problem()) return Error(check.duplicate() ? codes.unknown_key : codes.syntax, *check.problem());
  return document;
}

std::string_view type_name(const Json& value) {
  switch (value.type()) {
    case Json::value_t::string:
      return "string";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "integer";
    case Json::value_t::number_float:
      return "number";
    case Json::value_t::boolean:
      return "boolean";
    case Json::value_t::object:
      return "object";
    case Json::value_t::array:
      return "array";
    case Json::value_t::null:
      return "null";
    default:
      return "unsupported value";
  }
}

}  // namespace vmm::json
