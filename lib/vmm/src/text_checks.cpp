// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "text_checks.hpp"

#include <cstddef>
#include <cstdint>

#include <vmm/vmm/machine_config.hpp>

namespace vmm::text {
namespace {

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_continuation(uint8_t byte) { return (byte & 0xc0) == 0x80; }

size_t length_from_lead(uint8_t lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;  // a continuation byte, an overlong lead (c0, c1) or beyond U+10FFFF
}

// Length of the UTF-8 sequence starting at text[i], or 0 if it is malformed.
size_t utf8_sequence_length(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<uint8_t>(text[i + k]); };
  uint8_t lead = byte(0);
  size_t length = length_from_lead(lead);
  if (length == 0 || text.size() - i < length) return 0;
  for (size_t k = 1; k < length; ++k)
    if (!is_continuation(byte(k))) return 0;
  // The second byte's range rules out overlong forms, surrogates and > U+10FFFF (RFC 3629 table).
  if (lead == 0xe0 && byte(1) < 0xa0) return 0;
  if (lead == 0xed && byte(1) > 0x9f) return 0;
  if (lead == 0xf0 && byte(1) < 0x90) return 0;
  if (lead == 0xf4 && byte(1) > 0x8f) return 0;
  return length;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    size_t length = utf8_sequence_length(text, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

bool is_printable_ascii(std::string_view text) {
  for (char c : text)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

bool has_control_char(std::string_view text) {
  for (char c : text)
    if ((c >= 0 && c < 0x20) || c == 0x7f) return true;
  return false;
}

bool is_machine_name(std::string_view text) {
  if (text.empty() || text.size() > kMaxNameLength || !is_alnum(text[0])) return false;
  for (char c : text)
    if (!is_alnum(c) && c != '_' && c != '.' && c != '-') return false;
  return true;
}

bool is_uuid(std::string_view text) {
  constexpr std::string_view kPattern = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
  if (text.size() != kPattern.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    bool ok = kPattern[i] == '-' ? text[i] == '-' : is_hex(text[i]);
    if (!ok) return false;
  }
  return true;
}

std::string printable(std::string_view text, size_t max_bytes) {
  std::string result(text.substr(0, max_bytes));
  for (char& c : result)
    if (c < 0x20 || c > 0x7e) c = '?';
  if (text.size() > max_bytes) result += "...";
  return result;
}

std::string quoted(std::string_view text) {
  constexpr size_t kMaxQuotedBytes = 64;
  return "\"" + printable(text, kMaxQuotedBytes) + "\"";
}

}  // namespace vmm::text
