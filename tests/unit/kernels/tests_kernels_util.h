#pragma once
// Helpers shared by the kernel tests: seeded random data and the type list.
#include <array>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "gguf/ggml_type.h"
#include "kernels/kernels.h"

namespace cellar::kernels::testing {

inline constexpr std::array<GgmlType, 13> kAllTypes = {
    GgmlType::F32,  GgmlType::F16,  GgmlType::BF16, GgmlType::Q4_0, GgmlType::Q4_1, GgmlType::Q5_0, GgmlType::Q5_1,
    GgmlType::Q8_0, GgmlType::Q2_K, GgmlType::Q3_K, GgmlType::Q4_K, GgmlType::Q5_K, GgmlType::Q6_K};

inline std::vector<float> random_floats(size_t n, uint32_t seed, float scale = 1.0f) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist(0.0f, scale);
  std::vector<float> v(n);
  for (auto& x : v) x = dist(rng);
  return v;
}

inline std::vector<uint8_t> quantize(GgmlType t, const std::vector<float>& x, int64_t rows, int64_t cols) {
  const size_t row_bytes = ggml_row_size(t, cols);
  std::vector<uint8_t> out(row_bytes * rows);
  for (int64_t r = 0; r < rows; ++r) quantize_row(t, x.data() + r * cols, out.data() + r * row_bytes, cols);
  return out;
}

inline std::vector<float> dequantize(GgmlType t, const std::vector<uint8_t>& q, int64_t rows, int64_t cols) {
  const size_t row_bytes = ggml_row_size(t, cols);
  std::vector<float> out(rows * cols);
  for (int64_t r = 0; r < rows; ++r) dequantize_row(t, q.data() + r * row_bytes, out.data() + r * cols, cols);
  return out;
}

// Euclidean norm of v[0..n), in double so the tolerance checks built on it
// do not lose precision themselves.
inline double norm(const float* v, int64_t n) {
  double s = 0;
  for (int64_t i = 0; i < n; ++i) s += static_cast<double>(v[i]) * v[i];
  return std::sqrt(s);
}

inline double rms(const std::vector<float>& a) {
  double s = 0;
  for (float v : a) s += static_cast<double>(v) * v;
  return std::sqrt(s / a.size());
}

}  // namespace cellar::kernels::testing
