// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <string>
#include <string_view>

#include <vmm/base/fd.hpp>
#include <vmm/base/result.hpp>

namespace vmmd {

// Durable file updates in one directory (held open as dir_fd), so a crash or
// power cut leaves either the old or the new file, never a torn one:
// write a temporary file, fsync it, rename it over the target, fsync the
// directory. A failure removes the temporary file and leaves the target as
// it was.
vmm::Result<void> write_file_atomically(const vmm::Fd& dir, const std::string& name, std::string_view contents,
                                        unsigned mode);

// Removes name (absent is fine) and fsyncs the directory.
vmm::Result<void> remove_file_durably(const vmm::Fd& dir, const std::string& name);

// Opens (and with create, makes, mode 0755, parents included) a directory.
vmm::Result<vmm::Fd> open_directory(const std::string& path, bool create);

}  // namespace vmmd
