// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <vmm/base/mapped_file.hpp>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <vmm/base/fd.hpp>

namespace vmm {

Result<MappedFile> MappedFile::open(const std::string& path) {
  VMM_TRY_ASSIGN(Fd fd, Fd::open(path.c_str(), O_RDONLY));
  struct stat st {};
  if (fstat(fd.get(), &st) < 0) return Error::from_errno("stat " + path);
  if (!S_ISREG(st.st_mode)) return Error(std::make_error_code(std::errc::invalid_argument), path + " is not a regular file");
  if (st.st_size == 0) return Error(std::make_error_code(std::errc::invalid_argument), path + " is empty");
  auto size = static_cast<size_t>(st.st_size);
  void* data = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd.get(), 0);
  if (data == MAP_FAILED) return Error::from_errno("mmap " + path);
  return MappedFile(static_cast<const uint8_t*>(data), size);
}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    if (data_) munmap(const_cast<uint8_t*>(data_), size_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

MappedFile::~MappedFile() {
  if (data_) munmap(const_cast<uint8_t*>(data_), size_);
}

}  // namespace vmm
