// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Kernel command line (boot.rst "The Kernel Command Line"). Quoting follows
// the kernel's parser (lib/cmdline.c next_arg): a '"' toggles quoting, and
// the quotes around a value are stripped, so key="a b" yields "a b". There is
// no escape for a '"' inside a value.
#include <vmm/loader/cmdline.hpp>

#include <algorithm>
#include <cstdio>
#include <string>

namespace vmm {
namespace {

constexpr uint16_t kProtocolCmdlineSize = 0x0206;

bool is_printable(char c) { return c >= 0x20 && c <= 0x7e; }

Result<void> check_printable(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (is_printable(text[i])) continue;
    char byte[8];
    std::snprintf(byte, sizeof(byte), "0x%02x", static_cast<unsigned>(static_cast<uint8_t>(text[i])));
    return Error(LoaderErrc::kCmdlineInvalidChar, "command line: byte " + std::string(byte) + " at offset " +
                                                      std::to_string(i) + " is not printable ASCII");
  }
  return ok();
}

// Call after check_printable, so the text is safe to echo.
Result<void> check_quotes(std::string_view text) {
  if (std::count(text.begin(), text.end(), '"') % 2 == 0) return ok();
  return Error(LoaderErrc::kCmdlineUnbalancedQuote,
               "command line: unbalanced '\"' in \"" + std::string(text) + "\"");
}

// `length` excludes the NUL; `capacity` includes it.
Result<void> check_length(size_t length, size_t capacity) {
  if (length < capacity) return ok();
  return Error(LoaderErrc::kCmdlineTooLong, "command line would be " + std::to_string(length) +
                                                " bytes plus the NUL, over the kernel's limit of " +
                                                std::to_string(capacity) + " bytes including the NUL");
}

Result<void> check_key(std::string_view key) {
  VMM_TRY(check_printable(key));
  if (!key.empty() && key.find_first_of(" =\"") == std::string_view::npos) return ok();
  return Error(LoaderErrc::kCmdlineInvalidKey, "command line key \"" + std::string(key) +
                                                   "\" must be non-empty, without spaces, '=' or '\"'");
}

Result<void> check_value(std::string_view key, std::string_view value) {
  VMM_TRY(check_printable(value));
  if (value.find('"') == std::string_view::npos) return ok();
  return Error(LoaderErrc::kCmdlineInvalidChar, "command line value of \"" + std::string(key) +
                                                    "\" contains a '\"', which the kernel cannot parse");
}

}  // namespace

size_t cmdline_capacity(const LoadedKernel& kernel) {
  if (kernel.header && kernel.header->version >= kProtocolCmdlineSize)
    return size_t{kernel.header->cmdline_size} + 1;
  return kDefaultCmdlineCapacity;
}

Result<void> validate_cmdline(std::string_view text, size_t capacity) {
  VMM_TRY(check_printable(text));
  VMM_TRY(check_quotes(text));
  return check_length(text.size(), capacity);
}

Result<void> Cmdline::insert(std::string_view key, std::string_view value) {
  VMM_TRY(check_key(key));
  VMM_TRY(check_value(key, value));
  const bool quote = value.find(' ') != std::string_view::npos;
  std::string piece(key);
  piece += '=';
  if (quote) piece += '"';
  piece += value;
  if (quote) piece += '"';
  return append(piece);
}

Result<void> Cmdline::insert_str(std::string_view text) {
  VMM_TRY(check_printable(text));
  VMM_TRY(check_quotes(text));
  if (text.empty()) return ok();
  return append(text);
}

Result<void> Cmdline::append(std::string_view piece) {
  const size_t separator = text_.empty() ? 0 : 1;
  VMM_TRY(check_length(text_.size() + separator + piece.size(), capacity_));
  if (separator != 0) text_ += ' ';
  text_ += piece;
  return ok();
}

}  // namespace vmm
