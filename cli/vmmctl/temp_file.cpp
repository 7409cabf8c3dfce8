// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "temp_file.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <utility>
#include <vector>

#include "config_file.hpp"

namespace vmmctl {

vmm::Result<TempFile> TempFile::create(const std::string& prefix, const std::string& suffix) {
  const char* dir = getenv("TMPDIR");
  std::string pattern = std::string(dir && *dir ? dir : "/tmp") + "/" + prefix + "-XXXXXX" + suffix;
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  int fd = mkstemps(name.data(), static_cast<int>(suffix.size()));
  if (fd < 0) return vmm::Error::from_errno("creating a temporary file " + pattern);
  vmm::Fd owner(fd);  // mkstemps makes it 0600; we only needed the name
  return TempFile(std::string(name.data()));
}

TempFile::TempFile(TempFile&& other) noexcept : path_(std::exchange(other.path_, std::string())) {}

TempFile::~TempFile() {
  if (!path_.empty()) unlink(path_.c_str());
}

vmm::Result<void> TempFile::write(const std::string& text) {
  auto fd = vmm::Fd::open(path_.c_str(), O_WRONLY | O_TRUNC | O_NOFOLLOW);
  if (!fd) return fd.error();
  return vmm::write_all(fd->get(), text.data(), text.size());
}

vmm::Result<std::string> TempFile::read(size_t limit) const {
  auto fd = vmm::Fd::open(path_.c_str(), O_RDONLY | O_NOFOLLOW);
  if (!fd) return fd.error();
  return read_bounded(fd->get(), limit, path_);
}

}  // namespace vmmctl
