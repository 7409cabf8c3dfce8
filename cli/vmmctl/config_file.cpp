// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "config_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>

#include <vmm/base/fd.hpp>
#include <vmm/vmm/config_json.hpp>

#include "exit_status.hpp"

namespace vmmctl {

vmm::Result<std::string> read_bounded(int fd, size_t limit, const std::string& what) {
  std::string text;
  std::array<char, 65536> buffer{};
  for (;;) {
    ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return vmm::Error::from_errno("reading " + what);
    if (n == 0) return text;
    if (text.size() + static_cast<size_t>(n) > limit)
      return vmm::Error(Failure::kUsage, what + ": larger than " + std::to_string(limit) + " bytes");
    text.append(buffer.data(), static_cast<size_t>(n));
  }
}

vmm::Result<std::string> read_config_file(const std::string& path) {
  if (path == "-") return read_bounded(STDIN_FILENO, vmm::kMaxMachineConfigBytes, "stdin");
  auto fd = vmm::Fd::open(path.c_str(), O_RDONLY | O_NOCTTY);
  if (!fd) return vmm::Error(Failure::kUsage, fd.error().message());
  return read_bounded(fd->get(), vmm::kMaxMachineConfigBytes, path);
}

}  // namespace vmmctl
