#pragma once
// Read-only view of a GGUF file (versions 2 and 3), memory-mapped: tensor
// data is never copied. Every count, length and offset is validated against
// the file size before use; a malformed file raises GgufError naming the
// field, tensor and byte offset, never reads out of bounds.
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gguf/ggml_type.h"
#include "gguf/gguf_value.h"

namespace cellar {

class GgufError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

constexpr int kGgufMaxDims = 4;

struct GgufTensorInfo {
  std::string name;
  std::vector<int64_t> dims;  // ne[0] is the contiguous (row) dimension
  GgmlType type = GgmlType::F32;
  uint64_t offset = 0;  // relative to the start of the data section
  uint64_t n_bytes = 0;
  int64_t n_elements = 0;

  int64_t ne(int i) const { return i < static_cast<int>(dims.size()) ? dims[i] : 1; }
  int64_t rows() const { return n_elements / ne(0); }
};

class MappedFile;

class GgufFile {
 public:
  // Maps and validates `path`. Throws GgufError.
  static std::unique_ptr<GgufFile> open(const std::string& path);
  // Parses an in-memory image (the bytes are copied; for tests and fuzzing).
  static std::unique_ptr<GgufFile> from_bytes(const void* data, size_t size);
  ~GgufFile();

  uint32_t version() const { return version_; }
  uint64_t file_size() const { return size_; }
  uint64_t data_offset() const { return data_offset_; }
  uint32_t alignment() const { return alignment_; }
  const std::string& path() const { return path_; }

  const std::vector<std::pair<std::string, GgufValue>>& metadata() const { return kv_; }
  const GgufValue* find(std::string_view key) const;
  bool has(std::string_view key) const { return find(key) != nullptr; }

  // Typed getters: nullopt when absent; GgufError when present with a wrong type.
  std::optional<std::string> get_string(std::string_view key) const;
  std::optional<int64_t> get_int(std::string_view key) const;
  std::optional<double> get_float(std::string_view key) const;  // accepts integers too
  std::optional<bool> get_bool(std::string_view key) const;
  // Arrays: empty optional when absent; GgufError on wrong element type.
  std::optional<std::vector<std::string_view>> get_string_array(std::string_view key) const;
  std::optional<std::vector<float>> get_float_array(std::string_view key) const;
  std::optional<std::vector<int64_t>> get_int_array(std::string_view key) const;

  // `general.architecture`, required for models (GgufError if missing).
  std::string architecture() const;

  const std::vector<GgufTensorInfo>& tensors() const { return tensors_; }
  const GgufTensorInfo* find_tensor(std::string_view name) const;
  // Pointer to the tensor's bytes inside the mapping (validated at open).
  const uint8_t* tensor_data(const GgufTensorInfo& t) const;
  const uint8_t* base() const;

  // Pin the mapping in RAM (servers); returns false with `err` set on failure.
  bool lock_memory(std::string* err) const;

 private:
  GgufFile() = default;
  void parse();
  void validate_tensor_ranges() const;

  std::string path_;
  std::unique_ptr<MappedFile> map_;
  uint64_t size_ = 0;
  uint32_t version_ = 0;
  uint32_t alignment_ = 32;
  uint64_t data_offset_ = 0;
  std::vector<std::pair<std::string, GgufValue>> kv_;
  std::vector<GgufTensorInfo> tensors_;
};

}  // namespace cellar
