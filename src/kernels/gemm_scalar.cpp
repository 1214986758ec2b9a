// Scalar reference gemm: one weight row against one activation row at a
// time, integer sums per block as the SIMD kernels do, so the two differ
// only in float summation order.
#include <cstring>

#include "kernels/type_traits.h"
#include "kernels/unpack.h"

namespace cellar::kernels {
namespace {

template <typename Block>
float dot_legacy(const uint8_t* w, const QuantizedActs& x, int64_t i, int64_t cols) {
  const auto* blocks = reinterpret_cast<const Block*>(w);  // [cols / 32]
  const int8_t* xq = x.row_qs(i);                          // [cols]
  const float* xd = x.row_d(i);                            // [cols / 32]
  const float* xds = x.row_ds(i);                          // [cols / 32]
  Unpacked32 u;
  float sum = 0.0f;
  for (int64_t b = 0; b < cols / kQK; ++b) {
    unpack(blocks[b], u);
    int isum = 0;
    for (int j = 0; j < kQK; ++j) isum += u.q[j] * xq[b * kQK + j];
    sum += u.d * xd[b] * static_cast<float>(isum) + u.m * xds[b];
  }
  return sum;
}

template <typename Block>
float dot_k(const uint8_t* w, const QuantizedActs& x, int64_t i, int64_t cols) {
  const auto* blocks = reinterpret_cast<const Block*>(w);  // [cols / 256]
  const int8_t* xq = x.row_qs(i);                          // [cols]
  const float* xd = x.row_d(i);                            // [cols / 256]
  const int16_t* xs = x.row_bsums(i);                      // [cols / 16]
  UnpackedK u;
  float sum = 0.0f;
  for (int64_t b = 0; b < cols / kQKK; ++b) {
    unpack(blocks[b], u);
    const int8_t* q8 = xq + b * kQKK;
    const int16_t* bs = xs + b * 16;
    int isum = 0, msum = 0;
    for (int j = 0; j < kQKK / u.sub; ++j) {
      int s = 0;
      for (int l = 0; l < u.sub; ++l) s += u.q[j * u.sub + l] * q8[j * u.sub + l];
      isum += u.sc[j] * s;
      const int xsum = u.sub == 16 ? bs[j] : bs[2 * j] + bs[2 * j + 1];
      msum += u.mn[j] * xsum;
    }
    sum += xd[b] * (u.d * static_cast<float>(isum) - u.dmin * static_cast<float>(msum));
  }
  return sum;
}

template <float (*Convert)(uint16_t)>
float dot_half(const uint8_t* w, const QuantizedActs& x, int64_t i, int64_t cols) {
  const float* xf = x.row_f(i);
  float sum = 0.0f;
  for (int64_t c = 0; c < cols; ++c) {
    uint16_t h;
    std::memcpy(&h, w + 2 * c, 2);
    sum += Convert(h) * xf[c];
  }
  return sum;
}

float dot_f32_row(const uint8_t* w, const QuantizedActs& x, int64_t i, int64_t cols) {
  const float* xf = x.row_f(i);
  float sum = 0.0f;
  for (int64_t c = 0; c < cols; ++c) {
    float v;
    std::memcpy(&v, w + 4 * c, 4);
    sum += v * xf[c];
  }
  return sum;
}

template <float (*Dot)(const uint8_t*, const QuantizedActs&, int64_t, int64_t)>
void gemm_rows(const GemmArgs& a, int64_t r0, int64_t r1, int64_t i0, int64_t i1) {
  for (int64_t r = r0; r < r1; ++r) {
    for (int64_t i = i0; i < i1; ++i) {
      a.y[i * a.ldy + r] = Dot(a.w + r * a.w_stride, *a.x, i, a.cols);
    }
  }
}

}  // namespace

GemmFn scalar_gemm(GgmlType t) {
  switch (t) {
    case GgmlType::Q4_0:
      return gemm_rows<dot_legacy<BlockQ4_0>>;
    case GgmlType::Q4_1:
      return gemm_rows<dot_legacy<BlockQ4_1>>;
    case GgmlType::Q5_0:
      return gemm_rows<dot_legacy<BlockQ5_0>>;
    case GgmlType::Q5_1:
      return gemm_rows<dot_legacy<BlockQ5_1>>;
    case GgmlType::Q8_0:
      return gemm_rows<dot_legacy<BlockQ8_0>>;
    case GgmlType::Q2_K:
      return gemm_rows<dot_k<BlockQ2_K>>;
    case GgmlType::Q3_K:
      return gemm_rows<dot_k<BlockQ3_K>>;
    case GgmlType::Q4_K:
      return gemm_rows<dot_k<BlockQ4_K>>;
    case GgmlType::Q5_K:
      return gemm_rows<dot_k<BlockQ5_K>>;
    case GgmlType::Q6_K:
      return gemm_rows<dot_k<BlockQ6_K>>;
    case GgmlType::F16:
      return gemm_rows<dot_half<fp16_to_fp32>>;
    case GgmlType::BF16:
      return gemm_rows<dot_half<bf16_to_fp32>>;
    case GgmlType::F32:
      return gemm_rows<dot_f32_row>;
    default:
      return nullptr;
  }
}

}  // namespace cellar::kernels
