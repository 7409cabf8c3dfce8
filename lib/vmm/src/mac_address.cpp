// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/vmm/machine_config.hpp>

namespace vmm {
namespace {

constexpr size_t kMacTextBytes = 17;  // "xx:xx:xx:xx:xx:xx"

std::optional<uint8_t> hex_digit(char c) {
  if (c >= '0' && c <= '9') return static_cast<uint8_t>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<uint8_t>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<uint8_t>(c - 'A' + 10);
  return std::nullopt;
}

}  // namespace

std::optional<MacAddress> parse_mac(std::string_view text) {
  if (text.size() != kMacTextBytes) return std::nullopt;
  MacAddress mac{};
  for (size_t octet = 0; octet < mac.size(); ++octet) {
    size_t at = octet * 3;
    if (octet > 0 && text[at - 1] != ':') return std::nullopt;
    auto high = hex_digit(text[at]);
    auto low = hex_digit(text[at + 1]);
    if (!high || !low) return std::nullopt;
    mac[octet] = static_cast<uint8_t>(*high << 4 | *low);
  }
  return mac;
}

std::string format_mac(const MacAddress& mac) {
  constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(kMacTextBytes);
  for (size_t octet = 0; octet < mac.size(); ++octet) {
    if (octet > 0) text += ':';
    text += kDigits[mac[octet] >> 4];
    text += kDigits[mac[octet] & 0x0f];
  }
  return text;
}

}  // namespace vmm
