// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "connect_line.hpp"

#include <charconv>

namespace vmm::virtio {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view next_word(std::string_view& rest) {
  while (!rest.empty() && is_blank(rest.front())) rest.remove_prefix(1);
  size_t end = 0;
  while (end < rest.size() && !is_blank(rest[end])) ++end;
  std::string_view word = rest.substr(0, end);
  rest.remove_prefix(end);
  return word;
}

}  // namespace

std::optional<uint32_t> parse_connect_line(std::string_view line) {
  if (line.size() > kMaxConnectLine) return std::nullopt;
  std::string_view rest = line;
  if (next_word(rest) != "CONNECT") return std::nullopt;
  std::string_view port_text = next_word(rest);
  if (port_text.empty() || !next_word(rest).empty()) return std::nullopt;
  uint32_t port = 0;
  auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (error != std::errc() || end != port_text.data() + port_text.size()) return std::nullopt;
  return port;
}

}  // namespace vmm::virtio
