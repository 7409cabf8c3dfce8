// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// libFuzzer target: Cmdline and validate_cmdline. Input: one byte choosing
// the capacity, then '\n'-separated pieces: "+text" is insert_str(text),
// "key=value" (or just "key") is insert(key, value). Seeds: corpus/.
#include <algorithm>
#include <cstdint>
#include <string_view>

#include <vmm/loader/cmdline.hpp>

namespace {

bool printable(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

// Invariants of a Cmdline after any sequence of inserts.
void check(const vmm::Cmdline& cmdline) {
  const std::string_view text = cmdline.as_str();
  if (text.size() + 1 > cmdline.capacity() && !text.empty()) __builtin_trap();
  if (!printable(text) || std::count(text.begin(), text.end(), '"') % 2 != 0) __builtin_trap();
  if (cmdline.bytes_with_nul().back() != 0) __builtin_trap();
  if (!text.empty() && !vmm::validate_cmdline(text, cmdline.capacity()).ok()) __builtin_trap();
}

void apply(vmm::Cmdline& cmdline, std::string_view piece) {
  const std::string before(cmdline.as_str());
  vmm::Result<void> result;
  if (!piece.empty() && piece.front() == '+') {
    result = cmdline.insert_str(piece.substr(1));
  } else {
    const size_t eq = piece.find('=');
    result = eq == std::string_view::npos ? cmdline.insert(piece, "")
                                          : cmdline.insert(piece.substr(0, eq), piece.substr(eq + 1));
  }
  if (!result.ok() && cmdline.as_str() != before) __builtin_trap();  // a failed insert changes nothing
  check(cmdline);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t capacity = size_t{data[0]} * 4;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  (void)vmm::validate_cmdline(input, capacity);
  vmm::Cmdline cmdline(capacity);
  size_t start = 0;
  while (start <= input.size()) {
    const size_t end = std::min(input.find('\n', start), input.size());
    apply(cmdline, input.substr(start, end - start));
    start = end + 1;
  }
  return 0;
}
