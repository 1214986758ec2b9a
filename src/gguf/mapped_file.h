#pragma once
// Read-only memory mapping of a whole file (weights are never copied at load).
#include <cstddef>
#include <cstdint>
#include <string>

namespace cellar {

class MappedFile {
 public:
  // Maps `path`; throws GgufError naming the path and the OS error.
  explicit MappedFile(const std::string& path);
  // Owns a private copy of `size` bytes (for from_bytes / tests).
  MappedFile(const void* data, size_t size);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  // mlock the mapping; false (with errno text in *err) when the OS refuses.
  bool lock(std::string* err) const;

 private:
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  bool mapped_ = false;
};

}  // namespace cellar
