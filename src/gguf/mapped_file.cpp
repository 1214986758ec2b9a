#include "gguf/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "gguf/gguf_file.h"

namespace cellar {

MappedFile::MappedFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw GgufError("cannot open '" + path + "': " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw GgufError("'" + path + "' is not a regular file");
  }
  size_ = static_cast<size_t>(st.st_size);
  if (size_ == 0) {
    ::close(fd);
    throw GgufError("'" + path + "' is empty (0 bytes), not a GGUF file");
  }
  void* p = ::mmap(nullptr, size_, PROT_READ, MAP_SHARED, fd, 0);
  int err = errno;
  ::close(fd);
  if (p == MAP_FAILED) throw GgufError("cannot map '" + path + "': " + std::strerror(err));
  data_ = static_cast<const uint8_t*>(p);
  mapped_ = true;
}

MappedFile::MappedFile(const void* data, size_t size) : size_(size) {
  auto* copy = static_cast<uint8_t*>(std::malloc(size ? size : 1));
  if (!copy) throw GgufError("out of memory copying a GGUF image");
  if (size) std::memcpy(copy, data, size);
  data_ = copy;
}

MappedFile::~MappedFile() {
  if (mapped_) {
    ::munmap(const_cast<uint8_t*>(data_), size_);
  } else {
    std::free(const_cast<uint8_t*>(data_));
  }
}

bool MappedFile::lock(std::string* err) const {
  if (::mlock(data_, size_) == 0) return true;
  if (err) *err = std::strerror(errno);
  return false;
}

}  // namespace cellar
