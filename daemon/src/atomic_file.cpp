// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <random>

namespace vmmd {
namespace {

// ".NAME.tmp-XXXXXX": hidden, and never ends in ".json", so a leftover from
// a crash is not loaded as a definition.
std::string temporary_name(const std::string& name) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::random_device random;
  std::string suffix;
  for (int i = 0; i < 12; ++i) suffix += kDigits[random() % 16];
  return "." + name + ".tmp-" + suffix;
}

vmm::Result<void> sync_directory(const vmm::Fd& dir) {
  if (fsync(dir.get()) != 0) return vmm::Error::from_errno("fsync of the definitions directory");
  return vmm::ok();
}

}  // namespace

vmm::Result<void> write_file_atomically(const vmm::Fd& dir, const std::string& name, std::string_view contents,
                                        unsigned mode) {
  const std::string temp = temporary_name(name);
  vmm::Fd file(openat(dir.get(), temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode));
  if (!file) return vmm::Error::from_errno("create " + temp);
  auto discard = [&](vmm::Error error) {
    (void)unlinkat(dir.get(), temp.c_str(), 0);
    return error;
  };
  if (auto written = vmm::write_all(file.get(), contents.data(), contents.size()); !written) {
    return discard(written.error().with_context("write " + temp));
  }
  if (fchmod(file.get(), mode) != 0) return discard(vmm::Error::from_errno("chmod " + temp));
  if (fsync(file.get()) != 0) return discard(vmm::Error::from_errno("fsync " + temp));
  file.reset();
  if (renameat(dir.get(), temp.c_str(), dir.get(), name.c_str()) != 0) {
    return discard(vmm::Error::from_errno("rename " + temp + " to " + name));
  }
  return sync_directory(dir);
}

vmm::Result<void> remove_file_durably(const vmm::Fd& dir, const std::string& name) {
  if (unlinkat(dir.get(), name.c_str(), 0) != 0) {
    if (errno == ENOENT) return vmm::ok();
    return vmm::Error::from_errno("remove " + name);
  }
  return sync_directory(dir);
}

vmm::Result<vmm::Fd> open_directory(const std::string& path, bool create) {
  if (create) {
    // Each missing parent in turn, as mkdir -p does.
    for (size_t slash = path.find('/', 1); ; slash = path.find('/', slash + 1)) {
      std::string prefix = path.substr(0, slash);
      if (mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) return vmm::Error::from_errno("mkdir " + prefix);
      if (slash == std::string::npos) break;
    }
  }
  vmm::Fd dir(open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir) return vmm::Error::from_errno("open directory " + path);
  return dir;
}

}  // namespace vmmd
