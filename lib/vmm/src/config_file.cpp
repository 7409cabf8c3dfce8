// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include <vmm/base/fd.hpp>
#include <vmm/vmm/config_json.hpp>
#include <vmm/vmm/error.hpp>

namespace vmm {
namespace {

// Reads at most max_bytes; one byte more means the file is too large. The
// size from fstat is not trusted (it changes, and is 0 for /proc and pipes).
Result<std::string> read_bounded(const std::string& path, size_t max_bytes) {
  VMM_TRY_ASSIGN(Fd fd, Fd::open(path.c_str(), O_RDONLY | O_NOCTTY));
  std::string text(max_bytes + 1, '\0');
  size_t filled = 0;
  while (filled < text.size()) {
    ssize_t n = ::read(fd.get(), text.data() + filled, text.size() - filled);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error::from_errno("read " + path);
    if (n == 0) break;
    filled += static_cast<size_t>(n);
  }
  if (filled > max_bytes)
    return Error(ConfigErrc::kTooLarge, path + ": larger than " + std::to_string(max_bytes) + " bytes");
  text.resize(filled);
  return text;
}

}  // namespace

Result<MachineConfig> load_machine_config_file(const std::string& path) {
  VMM_TRY_ASSIGN(auto text, read_bounded(path, kMaxMachineConfigBytes));
  auto config = parse_machine_config(text);
  if (!config) return config.error().with_context(path);
  return config;
}

}  // namespace vmm
