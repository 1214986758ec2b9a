#pragma once
// Activations quantized once per matmul into the integer partner format of
// the weight type, stored structure-of-arrays so SIMD kernels load 64
// consecutive quants of a row with one instruction.
#include <cstdint>
#include <vector>

namespace cellar::kernels {

enum class ActFormat {
  kF32,    // float weights: activations used as they are
  kQ8x32,  // legacy types: int8 quants, one f32 scale per 32 (Q8_0-style)
  kQ8x256  // k-quants: one f32 scale per 256 (Q8_K-style)
};

constexpr int act_block(ActFormat f) { return f == ActFormat::kQ8x256 ? 256 : 32; }

struct QuantizedActs {
  ActFormat format = ActFormat::kF32;
  int64_t m = 0;
  int64_t cols = 0;
  const float* xf = nullptr;   // [m][cols] the f32 input (kF32 only)
  std::vector<int8_t> qs;      // [m][cols]
  std::vector<float> d;        // [m][cols / act_block]
  std::vector<int16_t> bsums;  // [m][cols / 16] sums of 16 consecutive quants

  const int8_t* row_qs(int64_t i) const { return qs.data() + i * cols; }
  const float* row_d(int64_t i) const { return d.data() + i * (cols / act_block(format)); }
  const int16_t* row_bsums(int64_t i) const { return bsums.data() + i * (cols / 16); }
  const float* row_f(int64_t i) const { return xf + i * cols; }
};

// Fills `out` from x [m][cols]; rows [i0, i1) only, so threads can split m.
// Call prepare_acts first (single-threaded) to size the buffers.
void prepare_acts(ActFormat format, const float* x, int64_t m, int64_t cols, QuantizedActs& out);
void quantize_acts_rows(QuantizedActs& out, const float* x, int64_t i0, int64_t i1);

}  // namespace cellar::kernels
