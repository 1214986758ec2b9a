#pragma once
// One GGUF metadata value (spec: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md).
// Strings and the element data of scalar arrays point into the mapped file, so
// a 150k-entry vocabulary costs no copies until someone asks for it.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cellar {

enum class GgufValueType : uint32_t {
  UINT8 = 0,
  INT8 = 1,
  UINT16 = 2,
  INT16 = 3,
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  BOOL = 7,
  STRING = 8,
  ARRAY = 9,
  UINT64 = 10,
  INT64 = 11,
  FLOAT64 = 12,
};

std::string_view gguf_value_type_name(GgufValueType t);
// Bytes of one scalar element, 0 for STRING and ARRAY.
size_t gguf_scalar_size(GgufValueType t);

struct GgufValue {
  GgufValueType type = GgufValueType::UINT8;

  // Scalars: integer types in `i` (uint64 bit pattern preserved via `u`), floats in `f`.
  union {
    int64_t i;
    uint64_t u;
    double f;
  } num{};
  std::string_view str;  // STRING

  // ARRAY: element type and count. Scalar elements are `count` packed
  // little-endian values at `raw`; STRING and nested ARRAY elements are in `items`.
  GgufValueType elem_type = GgufValueType::UINT8;
  uint64_t count = 0;
  const uint8_t* raw = nullptr;
  std::vector<GgufValue> items;

  bool is_integer() const;
  bool is_float() const { return type == GgufValueType::FLOAT32 || type == GgufValueType::FLOAT64; }
  // Scalar element `idx` of a scalar array as int64 / double (no bounds check: caller validated).
  int64_t array_int(uint64_t idx) const;
  double array_float(uint64_t idx) const;
  // Human-readable, truncated rendering (for `cellar inspect`).
  std::string to_string(size_t max_items = 8) const;
};

}  // namespace cellar
