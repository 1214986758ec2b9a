#pragma once
// Block layouts of the quantized GGUF tensor types, byte-for-byte those of
// ggml (ggml/src/ggml-common.h): https://github.com/ggml-org/ggml
// A weight row of n elements is n / block_size consecutive blocks.
#include <cstdint>
#include <cstring>

namespace cellar::kernels {

constexpr int kQK = 32;    // elements per block of the legacy types
constexpr int kQKK = 256;  // elements per super-block of the k-quants
constexpr int kKScaleSize = 12;

// x = d * (q - 8), q in [0, 15]; element j in the low nibble of qs[j],
// element j + 16 in the high nibble.
struct BlockQ4_0 {
  uint16_t d;  // fp16
  uint8_t qs[kQK / 2];
};
static_assert(sizeof(BlockQ4_0) == 18);

// x = d * q + m, q in [0, 15].
struct BlockQ4_1 {
  uint16_t d;  // fp16
  uint16_t m;  // fp16
  uint8_t qs[kQK / 2];
};
static_assert(sizeof(BlockQ4_1) == 20);

// x = d * (q - 16), q in [0, 31]; bit 4 of element j is bit j of qh (LE u32).
struct BlockQ5_0 {
  uint16_t d;  // fp16
  uint8_t qh[4];
  uint8_t qs[kQK / 2];
};
static_assert(sizeof(BlockQ5_0) == 22);

struct BlockQ5_1 {
  uint16_t d;  // fp16
  uint16_t m;  // fp16
  uint8_t qh[4];
  uint8_t qs[kQK / 2];
};
static_assert(sizeof(BlockQ5_1) == 24);

// x = d * q, q in [-127, 127].
struct BlockQ8_0 {
  uint16_t d;  // fp16
  int8_t qs[kQK];
};
static_assert(sizeof(BlockQ8_0) == 34);

// 16 sub-blocks of 16: x = d * (scales & 15) * q - dmin * (scales >> 4), q in [0, 3].
struct BlockQ2_K {
  uint8_t scales[kQKK / 16];
  uint8_t qs[kQKK / 4];
  uint16_t d;     // fp16
  uint16_t dmin;  // fp16
};
static_assert(sizeof(BlockQ2_K) == 84);

// 16 sub-blocks of 16 with 6-bit signed scales packed in 12 bytes;
// q = low 2 bits from qs minus 4 when the hmask bit is clear.
struct BlockQ3_K {
  uint8_t hmask[kQKK / 8];
  uint8_t qs[kQKK / 4];
  uint8_t scales[kKScaleSize];
  uint16_t d;  // fp16
};
static_assert(sizeof(BlockQ3_K) == 110);

// 8 sub-blocks of 32 with 6-bit scales and mins packed in 12 bytes.
struct BlockQ4_K {
  uint16_t d;     // fp16
  uint16_t dmin;  // fp16
  uint8_t scales[kKScaleSize];
  uint8_t qs[kQKK / 2];
};
static_assert(sizeof(BlockQ4_K) == 144);

struct BlockQ5_K {
  uint16_t d;     // fp16
  uint16_t dmin;  // fp16
  uint8_t scales[kKScaleSize];
  uint8_t qh[kQKK / 8];
  uint8_t qs[kQKK / 2];
};
static_assert(sizeof(BlockQ5_K) == 176);

// 16 sub-blocks of 16 with int8 scales; q = 6 bits - 32.
struct BlockQ6_K {
  uint8_t ql[kQKK / 2];
  uint8_t qh[kQKK / 4];
  int8_t scales[kQKK / 16];
  uint16_t d;  // fp16
};
static_assert(sizeof(BlockQ6_K) == 210);

// Scale and min j (0..7) of a Q4_K / Q5_K block (ggml get_scale_min_k4).
inline void get_scale_min_k4(int j, const uint8_t* q, uint8_t* d, uint8_t* m) {
  if (j < 4) {
    *d = q[j] & 63;
    *m = q[j + 4] & 63;
  } else {
    *d = (q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4);
    *m = (q[j + 4] >> 4) | ((q[j - 0] >> 6) << 4);
  }
}

// Scales and mins of a Q4_K / Q5_K block, unpacked word-parallel as in ggml:
// words 0-1 hold the 8 scales (byte j = scale j), words 2-3 the 8 mins.
// SIMD callers keep the words in registers: storing bytes and reloading
// them as a vector would stall store forwarding.
inline void k4_scale_words(const uint8_t* packed, uint32_t u[4]) {
  constexpr uint32_t kMask1 = 0x3f3f3f3f, kMask2 = 0x0f0f0f0f, kMask3 = 0x03030303;
  std::memcpy(u, packed, 12);
  u[3] = ((u[2] >> 4) & kMask2) | (((u[1] >> 6) & kMask3) << 4);
  const uint32_t aux = u[1] & kMask1;
  u[1] = (u[2] & kMask2) | (((u[0] >> 6) & kMask3) << 4);
  u[2] = aux;
  u[0] &= kMask1;
}

// The 16 6-bit scales of a Q3_K block, biased by +32, as four LE words of
// four bytes: low 4 bits of scale j in byte j % 8 (high nibble for j >= 8),
// high 2 bits in byte 8 + j % 4 at bit 2 * (j / 4). Word-parallel as ggml
// does it; SIMD callers keep the words in registers.
inline void q3_k_scale_words(const uint8_t* packed, uint32_t aux[4]) {
  constexpr uint32_t kMask1 = 0x03030303, kMask2 = 0x0f0f0f0f;
  std::memcpy(aux, packed, 12);
  const uint32_t tmp = aux[2];
  aux[2] = ((aux[0] >> 4) & kMask2) | (((tmp >> 4) & kMask1) << 4);
  aux[3] = ((aux[1] >> 4) & kMask2) | (((tmp >> 6) & kMask1) << 4);
  aux[0] = (aux[0] & kMask2) | (((tmp >> 0) & kMask1) << 4);
  aux[1] = (aux[1] & kMask2) | (((tmp >> 2) & kMask1) << 4);
}

// The same scales, signed (value - 32).
inline void unpack_q3_k_scales(const uint8_t* packed, int8_t* out) {
  uint32_t aux[4];
  q3_k_scale_words(packed, aux);
  uint8_t u[16];
  std::memcpy(u, aux, 16);
  for (int j = 0; j < 16; ++j) out[j] = static_cast<int8_t>(u[j] - 32);
}

}  // namespace cellar::kernels
