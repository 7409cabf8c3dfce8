// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/base/size.hpp>

#include <array>
#include <cctype>
#include <string>
#include <utility>

#include <vmm/base/bytes.hpp>

namespace vmm {
namespace {

Error size_error(std::string_view text, const char* why) {
  return Error(std::make_error_code(std::errc::invalid_argument),
               "invalid size \"" + std::string(text) + "\" (" + why + "; use e.g. 512M or 2G)");
}

std::optional<uint64_t> suffix_multiplier(std::string_view suffix, uint64_t default_unit) {
  if (suffix.empty()) return default_unit;
  static constexpr std::array<std::pair<char, int>, 4> kUnits{{{'K', 10}, {'M', 20}, {'G', 30}, {'T', 40}}};
  char unit = static_cast<char>(std::toupper(static_cast<unsigned char>(suffix[0])));
  std::string_view rest = suffix.substr(1);
  if (!rest.empty() && rest != "B" && rest != "iB" && rest != "ib" && rest != "b") return std::nullopt;
  if (unit == 'B' && rest.empty()) return 1;
  for (auto [letter, shift] : kUnits)
    if (letter == unit) return uint64_t{1} << shift;
  return std::nullopt;
}

}  // namespace

Result<uint64_t> parse_size(std::string_view text) { return parse_size(text, 1); }

Result<uint64_t> parse_size(std::string_view text, uint64_t default_unit) {
  size_t digits = 0;
  uint64_t number = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) {
    auto times_ten = checked_mul<uint64_t>(number, 10);
    auto next = times_ten ? checked_add<uint64_t>(*times_ten, static_cast<uint64_t>(text[digits] - '0')) : std::nullopt;
    if (!next) return size_error(text, "too large");
    number = *next;
    ++digits;
  }
  if (digits == 0) return size_error(text, "no number");
  auto multiplier = suffix_multiplier(text.substr(digits), default_unit);
  if (!multiplier) return size_error(text, "unknown unit");
  auto bytes = checked_mul<uint64_t>(number, *multiplier);
  if (!bytes) return size_error(text, "too large");
  return *bytes;
}

}  // namespace vmm
