#pragma once
// Scalar unpacking of one block into signed integer quants plus its scales:
// the single place the scalar reference reads each block layout, shared by
// dequantization and the reference dot products (so both agree by design).
#include <cstdint>
#include <cstring>

#include "kernels/blocks.h"
#include "kernels/fp16.h"

namespace cellar::kernels {

// Legacy block: x[j] = d * q[j] + m.
struct Unpacked32 {
  int8_t q[kQK];
  float d;
  float m;
};

inline uint32_t load_u32_le(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

inline void unpack_nibbles(const uint8_t* qs, int offset, int8_t* q) {
  for (int j = 0; j < kQK / 2; ++j) {
    q[j] = static_cast<int8_t>((qs[j] & 0xF) - offset);
    q[j + 16] = static_cast<int8_t>((qs[j] >> 4) - offset);
  }
}

inline void unpack_q5(const uint8_t* qs, const uint8_t* qh_bytes, int offset, int8_t* q) {
  const uint32_t qh = load_u32_le(qh_bytes);
  for (int j = 0; j < kQK / 2; ++j) {
    const int h0 = ((qh >> j) << 4) & 0x10;
    const int h1 = (qh >> (j + 12)) & 0x10;
    q[j] = static_cast<int8_t>(((qs[j] & 0xF) | h0) - offset);
    q[j + 16] = static_cast<int8_t>(((qs[j] >> 4) | h1) - offset);
  }
}

inline void unpack(const BlockQ4_0& b, Unpacked32& u) {
  unpack_nibbles(b.qs, 8, u.q);
  u.d = fp16_to_fp32(b.d);
  u.m = 0.0f;
}
inline void unpack(const BlockQ4_1& b, Unpacked32& u) {
  unpack_nibbles(b.qs, 0, u.q);
  u.d = fp16_to_fp32(b.d);
  u.m = fp16_to_fp32(b.m);
}
inline void unpack(const BlockQ5_0& b, Unpacked32& u) {
  unpack_q5(b.qs, b.qh, 16, u.q);
  u.d = fp16_to_fp32(b.d);
  u.m = 0.0f;
}
inline void unpack(const BlockQ5_1& b, Unpacked32& u) {
  unpack_q5(b.qs, b.qh, 0, u.q);
  u.d = fp16_to_fp32(b.d);
  u.m = fp16_to_fp32(b.m);
}
inline void unpack(const BlockQ8_0& b, Unpacked32& u) {
  std::memcpy(u.q, b.qs, kQK);
  u.d = fp16_to_fp32(b.d);
  u.m = 0.0f;
}

// K-quant super-block: x[e] = d * sc[e / sub] * q[e] - dmin * mn[e / sub].
struct UnpackedK {
  int8_t q[kQKK];
  int16_t sc[16];
  int16_t mn[16];
  int sub;  // elements per sub-block: 16 or 32
  float d;
  float dmin;
};

// Q2_K and Q3_K share the 2-bit plane order: element n*128 + j*32 + l sits
// in qs[n*32 + l] at bit 2*j.
inline int q2_plane(const uint8_t* qs, int e) {
  const int n = e / 128, j = (e % 128) / 32, l = e % 32;
  return (qs[n * 32 + l] >> (2 * j)) & 3;
}

inline void unpack(const BlockQ2_K& b, UnpackedK& u) {
  u.sub = 16;
  u.d = fp16_to_fp32(b.d);
  u.dmin = fp16_to_fp32(b.dmin);
  for (int j = 0; j < 16; ++j) {
    u.sc[j] = b.scales[j] & 0xF;
    u.mn[j] = b.scales[j] >> 4;
  }
  for (int e = 0; e < kQKK; ++e) u.q[e] = static_cast<int8_t>(q2_plane(b.qs, e));
}

inline void unpack(const BlockQ3_K& b, UnpackedK& u) {
  u.sub = 16;
  u.d = fp16_to_fp32(b.d);
  u.dmin = 0.0f;
  int8_t sc[16];
  unpack_q3_k_scales(b.scales, sc);
  for (int j = 0; j < 16; ++j) {
    u.sc[j] = sc[j];
    u.mn[j] = 0;
  }
  for (int e = 0; e < kQKK; ++e) {
    const int bit = (e / 128) * 4 + (e % 128) / 32;  // hmask bit of this element
    const int high = (b.hmask[e % 32] >> bit) & 1;
    u.q[e] = static_cast<int8_t>(q2_plane(b.qs, e) - (high ? 0 : 4));
  }
}

// Q4_K / Q5_K: element c*64 + l is the low nibble of qs[c*32 + l],
// element c*64 + 32 + l its high nibble; Q5_K's fifth bit is qh[l] bit 2c / 2c+1.
template <typename Block>
inline void unpack_q45_k(const Block& b, const uint8_t* qh, UnpackedK& u) {
  u.sub = 32;
  u.d = fp16_to_fp32(b.d);
  u.dmin = fp16_to_fp32(b.dmin);
  for (int j = 0; j < 8; ++j) {
    uint8_t sc, mn;
    get_scale_min_k4(j, b.scales, &sc, &mn);
    u.sc[j] = sc;
    u.mn[j] = mn;
  }
  for (int c = 0; c < 4; ++c) {
    for (int l = 0; l < 32; ++l) {
      const uint8_t byte = b.qs[c * 32 + l];
      int lo = byte & 0xF, hi = byte >> 4;
      if (qh) {
        lo |= ((qh[l] >> (2 * c)) & 1) << 4;
        hi |= ((qh[l] >> (2 * c + 1)) & 1) << 4;
      }
      u.q[c * 64 + l] = static_cast<int8_t>(lo);
      u.q[c * 64 + 32 + l] = static_cast<int8_t>(hi);
    }
  }
}
inline void unpack(const BlockQ4_K& b, UnpackedK& u) { unpack_q45_k(b, nullptr, u); }
inline void unpack(const BlockQ5_K& b, UnpackedK& u) { unpack_q45_k(b, b.qh, u); }

// Q6_K: in each half n, element n*128 + k*32 + l takes the nibble of
// ql[n*64 + (k&1)*32 + l] (low for k<2) and bits 2k of qh[n*32 + l].
inline void unpack(const BlockQ6_K& b, UnpackedK& u) {
  u.sub = 16;
  u.d = fp16_to_fp32(b.d);
  u.dmin = 0.0f;
  for (int j = 0; j < 16; ++j) {
    u.sc[j] = b.scales[j];
    u.mn[j] = 0;
  }
  for (int e = 0; e < kQKK; ++e) {
    const int n = e / 128, k = (e % 128) / 32, l = e % 32;
    const uint8_t lbyte = b.ql[n * 64 + (k & 1) * 32 + l];
    const int lo = k < 2 ? (lbyte & 0xF) : (lbyte >> 4);
    const int hi = (b.qh[n * 32 + l] >> (2 * k)) & 3;
    u.q[e] = static_cast<int8_t>((lo | (hi << 4)) - 32);
  }
}

}  // namespace cellar::kernels
