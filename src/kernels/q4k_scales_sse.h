#pragma once
// Q4_K x16 scale and min unpacking shared by the AVX2 and AVX-512 kernels
// (SSE2 only, so both ISA folders can include it). ggml's get_scale_min_k4
// (https://github.com/ggml-org/llama.cpp/blob/master/ggml/src/ggml-quants.c)
// on 16 rows at once: packed is BlockQ4_Kx16::scales, [12][16], byte k of
// each row. Byte shifts are done as 16-bit shifts whose spill-over bits the
// masks remove.
#include <emmintrin.h>

#include <cstdint>

namespace cellar::kernels {

// Calls put(j, scales, mins) for sub-blocks j = 0..7, each a 16-byte vector
// with one 6-bit value per row.
template <typename Put>
inline void unpack_q4k_scales(const uint8_t* packed, Put&& put) {
  __m128i q[12];
  for (int k = 0; k < 12; ++k) q[k] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(packed + 16 * k));
  const __m128i m63 = _mm_set1_epi8(63), m15 = _mm_set1_epi8(15), top2 = _mm_set1_epi8(0x30);
  for (int j = 0; j < 4; ++j) put(j, _mm_and_si128(q[j], m63), _mm_and_si128(q[j + 4], m63));
  for (int j = 4; j < 8; ++j) {
    const __m128i sc_hi = _mm_and_si128(_mm_srli_epi16(q[j - 4], 2), top2);  // (q[j-4] >> 6) << 4
    const __m128i mn_hi = _mm_and_si128(_mm_srli_epi16(q[j], 2), top2);
    put(j, _mm_or_si128(_mm_and_si128(q[j + 4], m15), sc_hi),
        _mm_or_si128(_mm_and_si128(_mm_srli_epi16(q[j + 4], 4), m15), mn_hi));
  }
}

}  // namespace cellar::kernels
