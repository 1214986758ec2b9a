#pragma once
// Writes GGUF version 3 files (used by `cellar synth`, `cellar quantize` and
// tests). Tensor bytes are produced on demand while writing, one tensor at a
// time, so a multi-GB model never sits in memory whole.
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "gguf/ggml_type.h"
#include "gguf/gguf_value.h"

namespace cellar {

class GgufWriter {
 public:
  // Fills exactly `n_bytes` bytes of tensor data at `dst`.
  using Fill = std::function<void(uint8_t* dst, size_t n_bytes)>;

  void set_u32(std::string key, uint32_t v);
  void set_i32(std::string key, int32_t v);
  void set_u64(std::string key, uint64_t v);
  void set_f32(std::string key, float v);
  void set_bool(std::string key, bool v);
  void set_string(std::string key, std::string v);
  void set_string_array(std::string key, std::vector<std::string> v);
  void set_f32_array(std::string key, std::vector<float> v);
  void set_i32_array(std::string key, std::vector<int32_t> v);
  // Copies every metadata pair of an existing file (used by quantize).
  void copy_value(std::string key, const GgufValue& v);

  // dims[0] is the contiguous dimension; its length must be a multiple of the type's block size.
  void add_tensor(std::string name, GgmlType type, std::vector<int64_t> dims, Fill fill);
  void set_alignment(uint32_t a) { alignment_ = a; }

  // Writes atomically (temporary file, then rename). Throws std::runtime_error.
  void write(const std::string& path) const;
  std::vector<uint8_t> to_bytes() const;

 private:
  struct Kv {
    std::string key;
    GgufValueType type;
    std::vector<uint8_t> payload;  // encoded value bytes, after the type id
  };
  struct Tensor {
    std::string name;
    GgmlType type;
    std::vector<int64_t> dims;
    uint64_t n_bytes;
    Fill fill;
  };
  void put(std::string key, GgufValueType type, std::vector<uint8_t> payload);
  void serialize(std::ostream& os) const;

  std::vector<Kv> kv_;
  std::vector<Tensor> tensors_;
  uint32_t alignment_ = 32;
};

}  // namespace cellar
