// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <string>

#include <vmm/base/fd.hpp>
#include <vmm/base/result.hpp>

namespace vmmctl {

// A private file (mode 0600) in $TMPDIR or /tmp, removed when dropped.
class TempFile {
 public:
  // PREFIX-XXXXXX.SUFFIX
  static vmm::Result<TempFile> create(const std::string& prefix, const std::string& suffix);

  TempFile(TempFile&& other) noexcept;
  TempFile& operator=(TempFile&&) = delete;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile();

  [[nodiscard]] const std::string& path() const { return path_; }
  // Replaces the whole content.
  vmm::Result<void> write(const std::string& text);
  // Reads the content back (the editor may have replaced the file, so by path).
  vmm::Result<std::string> read(size_t limit) const;

 private:
  explicit TempFile(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace vmmctl
