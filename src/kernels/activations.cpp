#include "kernels/activations.h"

#include <algorithm>
#include <cmath>

namespace cellar::kernels {

void prepare_acts(ActFormat format, const float* x, int64_t m, int64_t cols, QuantizedActs& out) {
  out.format = format;
  out.m = m;
  out.cols = cols;
  out.xf = x;
  out.d_stride = cols / act_block(format);
  if (format == ActFormat::kF32) return;
  out.qs.resize(static_cast<size_t>(m * cols));
  out.d.resize(static_cast<size_t>(m * (cols / act_block(format))));
  out.bsums.resize(static_cast<size_t>(m * (cols / 16)));
  if (format == ActFormat::kQ8x32) out.ds.resize(static_cast<size_t>(m * (cols / 32)));
}

void finish_acts_rows(QuantizedActs& out, int64_t i0, int64_t i1) {
  if (out.format != ActFormat::kQ8x32) return;
  const int64_t nb = out.cols / 32;
  for (int64_t i = i0; i < i1; ++i) {
    const float* d = out.row_d(i);
    const int16_t* bs = out.row_bsums(i);
    float* ds = out.ds.data() + i * nb;
    for (int64_t b = 0; b < nb; ++b) ds[b] = d[b] * static_cast<float>(bs[2 * b] + bs[2 * b + 1]);
  }
}

void quantize_acts_rows(QuantizedActs& out, const float* x, int64_t i0, int64_t i1) {
  if (out.format == ActFormat::kF32) return;
  const int block = act_block(out.format);
  const int64_t cols = out.cols;
  for (int64_t i = i0; i < i1; ++i) {
    const float* src = x + i * cols;        // [cols]
    int8_t* qs = out.qs.data() + i * cols;  // [cols]
    float* d = out.d.data() + i * (cols / block);
    int16_t* bs = out.bsums.data() + i * (cols / 16);
    for (int64_t b = 0; b < cols / block; ++b) {
      const float* xb = src + b * block;
      float amax = 0.0f;
      for (int j = 0; j < block; ++j) amax = std::max(amax, std::fabs(xb[j]));
      const float scale = amax / 127.0f;
      const float inv = amax > 0.0f ? 127.0f / amax : 0.0f;
      d[b] = scale;
      for (int j = 0; j < block; ++j) {
        qs[b * block + j] = static_cast<int8_t>(round_even(xb[j] * inv));
      }
    }
    for (int64_t g = 0; g < cols / 16; ++g) {
      int s = 0;
      for (int j = 0; j < 16; ++j) s += qs[g * 16 + j];
      bs[g] = static_cast<int16_t>(s);
    }
  }
  finish_acts_rows(out, i0, i1);
}

}  // namespace cellar::kernels
