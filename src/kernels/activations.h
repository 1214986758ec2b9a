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
  int64_t d_stride = 0;        // cols / act_block(format), kept to avoid a division per access
  const float* xf = nullptr;   // [m][cols] the f32 input (kF32 only)
  std::vector<int8_t> qs;      // [m][cols]
  std::vector<float> d;        // [m][cols / act_block]
  std::vector<int16_t> bsums;  // [m][cols / 16] sums of 16 consecutive quants
  std::vector<float> ds;       // [m][cols / 32] d * sum of the block's quants (kQ8x32 only)

  const int8_t* row_qs(int64_t i) const { return qs.data() + i * cols; }
  const float* row_d(int64_t i) const { return d.data() + i * d_stride; }
  const int16_t* row_bsums(int64_t i) const { return bsums.data() + i * (cols / 16); }
  const float* row_ds(int64_t i) const { return ds.data() + i * (cols / 32); }
  const float* row_f(int64_t i) const { return xf + i * cols; }
};

// Fills ds of rows [i0, i1) from d and bsums (kQ8x32); every ISA's quantizer calls it.
void finish_acts_rows(QuantizedActs& out, int64_t i0, int64_t i1);

// Sizes the buffers of `out` for x [m][cols] (single-threaded).
void prepare_acts(ActFormat format, const float* x, int64_t m, int64_t cols, QuantizedActs& out);

// Scalar reference: fills rows [i0, i1) of `out` from x (threads split m).
// d = amax / 127, q = round-half-even(x * (127 / amax)); every ISA's
// version computes exactly these values, so kernels see identical inputs.
void quantize_acts_rows(QuantizedActs& out, const float* x, int64_t i0, int64_t i1);

// Round-half-even of |v| < 2^22 without a libm call: adding 1.5 * 2^23
// pushes the fraction out of the mantissa under the default rounding mode.
inline float round_even(float v) {
  constexpr float kMagic = 12582912.0f;
  return (v + kMagic) - kMagic;  // not folded: no -ffast-math
}

}  // namespace cellar::kernels
