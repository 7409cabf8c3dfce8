// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// Character-level checks on untrusted strings (config files, flags, control
// requests). Private to the vmm component.
namespace vmm::text {

// Well-formed UTF-8 (RFC 3629 section 4): no overlong forms, no surrogates,
// nothing above U+10FFFF.
[[nodiscard]] bool is_valid_utf8(std::string_view text);

// Only bytes 0x20..0x7e.
[[nodiscard]] bool is_printable_ascii(std::string_view text);

// Contains a byte below 0x20 or 0x7f (NUL, newline, escape, ...).
[[nodiscard]] bool has_control_char(std::string_view text);

// [A-Za-z0-9][A-Za-z0-9_.-]{0,63}: safe as a file name, a systemd unit
// instance and (escaped) a D-Bus object path element.
[[nodiscard]] bool is_machine_name(std::string_view text);

// 8-4-4-4-12 hex digits (RFC 4122 section 3), either case.
[[nodiscard]] bool is_uuid(std::string_view text);

// For echoing untrusted text in a one-line error message: bytes outside
// 0x20..0x7e become '?', and text longer than max_bytes is cut with "...".
[[nodiscard]] std::string printable(std::string_view text, size_t max_bytes);
// printable(text, 64) in double quotes: "memroy".
[[nodiscard]] std::string quoted(std::string_view text);

}  // namespace vmm::text
