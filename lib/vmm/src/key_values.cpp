// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <algorithm>

#include <vmm/vmm/error.hpp>
#include <vmm/vmm/machine_flags.hpp>

#include "text_checks.hpp"

namespace vmm {
namespace {

Error syntax_error(const std::string& why) { return Error(ConfigErrc::kInvalidOption, why); }

// Scans "key=value" items from the front of the text; one call per item.
class KeyValueScanner {
 public:
  KeyValueScanner(std::string_view text, std::initializer_list<std::string_view> rest_keys)
      : text_(text), rest_keys_(rest_keys) {}

  [[nodiscard]] bool done() const { return pos_ >= text_.size(); }

  Result<KeyValue> next() {
    size_t item_end = std::min(text_.find(',', pos_), text_.size());
    size_t equals = text_.find('=', pos_);
    if (equals == std::string_view::npos || equals > item_end)
      return syntax_error("expected key=value, got " + text::quoted(text_.substr(pos_, item_end - pos_)));
    if (equals == pos_) return syntax_error("missing key before \"=\"");
    KeyValue item{std::string(text_.substr(pos_, equals - pos_)), {}};
    pos_ = equals + 1;
    VMM_TRY_ASSIGN(item.value, value_of(item.key));
    return item;
  }

 private:
  Result<std::string> value_of(const std::string& key) {
    if (pos_ < text_.size() && text_[pos_] == '"') return quoted_value(key);
    bool takes_rest = std::find(rest_keys_.begin(), rest_keys_.end(), key) != rest_keys_.end();
    size_t end = takes_rest ? text_.size() : std::min(text_.find(',', pos_), text_.size());
    std::string value(text_.substr(pos_, end - pos_));
    return finish_item(end, key, std::move(value));
  }

  Result<std::string> quoted_value(const std::string& key) {
    size_t close = text_.find('"', pos_ + 1);
    if (close == std::string_view::npos)
      return syntax_error("unterminated quote in the value of " + text::quoted(key));
    std::string value(text_.substr(pos_ + 1, close - pos_ - 1));
    if (close + 1 < text_.size() && text_[close + 1] != ',')
      return syntax_error("expected \",\" after the quoted value of " + text::quoted(key));
    return finish_item(close + 1, key, std::move(value));
  }

  // Moves past the item and its comma; a comma must be followed by another item.
  Result<std::string> finish_item(size_t end, const std::string& key, std::string value) {
    pos_ = end;
    if (pos_ < text_.size()) {
      ++pos_;  // the ','
      if (pos_ == text_.size())
        return syntax_error("missing key=value after \",\" following " + text::quoted(key));
    }
    return value;
  }

  std::string_view text_;
  std::initializer_list<std::string_view> rest_keys_;
  size_t pos_ = 0;
};

}  // namespace

Result<KeyValueList> parse_key_values(std::string_view text,
                                      std::initializer_list<std::string_view> rest_keys) {
  if (text.empty()) return syntax_error("expected key=value, got nothing");
  KeyValueScanner scanner(text, rest_keys);
  KeyValueList items;
  while (!scanner.done()) {
    VMM_TRY_ASSIGN(auto item, scanner.next());
    auto same_key = [&](const KeyValue& other) { return other.key == item.key; };
    if (std::any_of(items.begin(), items.end(), same_key))
      return syntax_error("duplicate key " + text::quoted(item.key));
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace vmm
