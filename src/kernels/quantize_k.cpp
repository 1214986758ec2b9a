// Reference quantizers of the k-quants. The block layouts are ggml's
// (ggml-common.h); the fitting is a simpler one than ggml's iterative search
// (make_qkx2_quants): per sub-block min/max (or signed absmax) scales,
// themselves quantized against a super-block scale, then each value is
// rounded with the scale as stored. Error bounds are in the unit tests.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "kernels/blocks.h"
#include "kernels/fp16.h"
#include "kernels/type_traits.h"

namespace cellar::kernels {
namespace {

int nearest(float v) { return static_cast<int>(std::lrintf(v)); }

// Integer quants and scales of one super-block before packing.
struct KQuants {
  int q[kQKK];
  int sc[16];
  int mn[16];
  uint16_t d;
  uint16_t dmin;
};

// x ~ d*sc[j]*q - dmin*mn[j], q in [0, nq], sc/mn in [0, nscale].
void fit_asymmetric(const float* x, int nsub, int sub, int nq, int nscale, KQuants& k) {
  float scale[16], minv[16], max_scale = 0.0f, max_min = 0.0f;
  for (int j = 0; j < nsub; ++j) {
    const float* xs = x + j * sub;
    float lo = 0.0f, hi = xs[0];  // min clamped to <= 0 as ggml does
    for (int l = 0; l < sub; ++l) {
      lo = std::min(lo, xs[l]);
      hi = std::max(hi, xs[l]);
    }
    scale[j] = (hi - lo) / nq;
    minv[j] = -lo;
    max_scale = std::max(max_scale, scale[j]);
    max_min = std::max(max_min, minv[j]);
  }
  k.d = fp32_to_fp16(max_scale / nscale);
  k.dmin = fp32_to_fp16(max_min / nscale);
  const float d = fp16_to_fp32(k.d), dmin = fp16_to_fp32(k.dmin);
  for (int j = 0; j < nsub; ++j) {
    k.sc[j] = d > 0.0f ? std::clamp(nearest(scale[j] / d), 0, nscale) : 0;
    k.mn[j] = dmin > 0.0f ? std::clamp(nearest(minv[j] / dmin), 0, nscale) : 0;
    const float s = d * k.sc[j], m = dmin * k.mn[j];
    for (int l = 0; l < sub; ++l) {
      const float v = x[j * sub + l];
      k.q[j * sub + l] = s > 0.0f ? std::clamp(nearest((v + m) / s), 0, nq) : 0;
    }
  }
}

float signed_absmax(const float* x, int n) {
  float amax = 0.0f, max = 0.0f;
  for (int j = 0; j < n; ++j) {
    if (std::fabs(x[j]) > amax) {
      amax = std::fabs(x[j]);
      max = x[j];
    }
  }
  return max;
}

// x ~ d*sc[j]*q, q in [-nq, nq-1], sc in [-nscale, nscale-1] (16 sub-blocks of 16).
// The largest magnitude maps to the negative end, where the range is one wider.
void fit_symmetric(const float* x, int nq, int nscale, KQuants& k) {
  float scale[16];
  for (int j = 0; j < 16; ++j) scale[j] = signed_absmax(x + j * 16, 16) / -nq;
  const float max_scale = signed_absmax(scale, 16);
  k.d = fp32_to_fp16(max_scale / -nscale);
  k.dmin = 0;
  const float d = fp16_to_fp32(k.d);
  for (int j = 0; j < 16; ++j) {
    k.sc[j] = d != 0.0f ? std::clamp(nearest(scale[j] / d), -nscale, nscale - 1) : 0;
    k.mn[j] = 0;
    const float s = d * k.sc[j];
    for (int l = 0; l < 16; ++l) {
      k.q[j * 16 + l] = s != 0.0f ? std::clamp(nearest(x[j * 16 + l] / s), -nq, nq - 1) : 0;
    }
  }
}

// Inverse of unpack_q2/q3 plane order: element n*128 + j*32 + l -> qs[n*32 + l] bits 2j.
void pack_2bit_planes(const int* q, int offset, uint8_t* qs) {
  std::memset(qs, 0, kQKK / 4);
  for (int e = 0; e < kQKK; ++e) {
    const int n = e / 128, j = (e % 128) / 32, l = e % 32;
    qs[n * 32 + l] |= static_cast<uint8_t>(((q[e] + offset) & 3) << (2 * j));
  }
}

// Inverse of get_scale_min_k4.
void pack_scale_min_k4(const int* sc, const int* mn, uint8_t* out) {
  std::memset(out, 0, kKScaleSize);
  for (int j = 0; j < 8; ++j) {
    if (j < 4) {
      out[j] |= static_cast<uint8_t>(sc[j]);
      out[j + 4] |= static_cast<uint8_t>(mn[j]);
    } else {
      out[j + 4] = static_cast<uint8_t>((sc[j] & 0xF) | ((mn[j] & 0xF) << 4));
      out[j - 4] |= static_cast<uint8_t>((sc[j] >> 4) << 6);
      out[j] |= static_cast<uint8_t>((mn[j] >> 4) << 6);
    }
  }
}

// Q4_K / Q5_K nibble order: element c*64 + l -> low nibble of qs[c*32 + l],
// c*64 + 32 + l -> high nibble; bit 4 -> qh[l] bit 2c / 2c+1.
void pack_q45_k(const int* q, uint8_t* qs, uint8_t* qh) {
  if (qh) std::memset(qh, 0, kQKK / 8);
  for (int c = 0; c < 4; ++c) {
    for (int l = 0; l < 32; ++l) {
      const int lo = q[c * 64 + l], hi = q[c * 64 + 32 + l];
      qs[c * 32 + l] = static_cast<uint8_t>((lo & 0xF) | ((hi & 0xF) << 4));
      if (qh) qh[l] |= static_cast<uint8_t>(((lo >> 4) << (2 * c)) | ((hi >> 4) << (2 * c + 1)));
    }
  }
}

}  // namespace

void quantize_q2_k(const float* src, void* dst, int64_t n) {
  auto* y = static_cast<BlockQ2_K*>(dst);  // [n / 256]
  KQuants k;
  for (int64_t i = 0; i < n / kQKK; ++i) {
    fit_asymmetric(src + i * kQKK, 16, 16, 3, 15, k);
    for (int j = 0; j < 16; ++j) y[i].scales[j] = static_cast<uint8_t>(k.sc[j] | (k.mn[j] << 4));
    pack_2bit_planes(k.q, 0, y[i].qs);
    y[i].d = k.d;
    y[i].dmin = k.dmin;
  }
}

void quantize_q3_k(const float* src, void* dst, int64_t n) {
  auto* y = static_cast<BlockQ3_K*>(dst);  // [n / 256]
  KQuants k;
  for (int64_t i = 0; i < n / kQKK; ++i) {
    fit_symmetric(src + i * kQKK, 4, 32, k);
    pack_2bit_planes(k.q, 4, y[i].qs);
    std::memset(y[i].hmask, 0, sizeof(y[i].hmask));
    std::memset(y[i].scales, 0, sizeof(y[i].scales));
    for (int e = 0; e < kQKK; ++e) {
      const int bit = (e / 128) * 4 + (e % 128) / 32;
      if (k.q[e] >= 0) y[i].hmask[e % 32] |= static_cast<uint8_t>(1 << bit);
    }
    for (int j = 0; j < 16; ++j) {
      const int u = k.sc[j] + 32;  // 6-bit unsigned
      y[i].scales[j % 8] |= static_cast<uint8_t>((u & 0xF) << (j < 8 ? 0 : 4));
      y[i].scales[8 + (j & 3)] |= static_cast<uint8_t>((u >> 4) << (2 * (j / 4)));
    }
    y[i].d = k.d;
  }
}

void quantize_q4_k(const float* src, void* dst, int64_t n) {
  auto* y = static_cast<BlockQ4_K*>(dst);  // [n / 256]
  KQuants k;
  for (int64_t i = 0; i < n / kQKK; ++i) {
    fit_asymmetric(src + i * kQKK, 8, 32, 15, 63, k);
    pack_scale_min_k4(k.sc, k.mn, y[i].scales);
    pack_q45_k(k.q, y[i].qs, nullptr);
    y[i].d = k.d;
    y[i].dmin = k.dmin;
  }
}

void quantize_q5_k(const float* src, void* dst, int64_t n) {
  auto* y = static_cast<BlockQ5_K*>(dst);  // [n / 256]
  KQuants k;
  for (int64_t i = 0; i < n / kQKK; ++i) {
    fit_asymmetric(src + i * kQKK, 8, 32, 31, 63, k);
    pack_scale_min_k4(k.sc, k.mn, y[i].scales);
    pack_q45_k(k.q, y[i].qs, y[i].qh);
    y[i].d = k.d;
    y[i].dmin = k.dmin;
  }
}

void quantize_q6_k(const float* src, void* dst, int64_t n) {
  auto* y = static_cast<BlockQ6_K*>(dst);  // [n / 256]
  KQuants k;
  for (int64_t i = 0; i < n / kQKK; ++i) {
    fit_symmetric(src + i * kQKK, 32, 128, k);
    std::memset(y[i].ql, 0, sizeof(y[i].ql));
    std::memset(y[i].qh, 0, sizeof(y[i].qh));
    for (int e = 0; e < kQKK; ++e) {
      const int u = k.q[e] + 32;  // 6-bit unsigned
      const int h = e / 128, c = (e % 128) / 32, l = e % 32;
      y[i].ql[h * 64 + (c & 1) * 32 + l] |= static_cast<uint8_t>((u & 0xF) << (c < 2 ? 0 : 4));
      y[i].qh[h * 32 + l] |= static_cast<uint8_t>((u >> 4) << (2 * c));
    }
    for (int j = 0; j < 16; ++j) y[i].scales[j] = static_cast<int8_t>(k.sc[j]);
    y[i].d = k.d;
  }
}

}  // namespace cellar::kernels
