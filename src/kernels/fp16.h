#pragma once
// IEEE 754 binary16 and bfloat16 conversions (scalar). Round-to-nearest-even
// on narrowing; NaNs stay NaN (quiet), infinities and subnormals are exact.
#include <cstdint>
#include <cstring>

namespace cellar::kernels {

inline float bits_to_f32(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}
inline uint32_t f32_to_bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

inline float fp16_to_fp32(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
  const uint32_t exp = (h >> 10) & 0x1f;
  const uint32_t man = h & 0x3ff;
  if (exp == 0x1f) return bits_to_f32(sign | 0x7f800000u | (man << 13));  // inf / nan
  if (exp == 0) {
    // Zero or subnormal: value = man * 2^-24, exact in f32.
    const float mag = static_cast<float>(man) * bits_to_f32(0x33800000u);
    return sign ? -mag : mag;
  }
  return bits_to_f32(sign | ((exp + 112) << 23) | (man << 13));
}

inline uint16_t fp32_to_fp16(float f) {
  const uint32_t u = f32_to_bits(f);
  const uint16_t sign = static_cast<uint16_t>((u >> 16) & 0x8000);
  const uint32_t abs = u & 0x7fffffffu;
  if (abs > 0x7f800000u) return sign | 0x7e00 | static_cast<uint16_t>((abs >> 13) & 0x3ff);  // nan
  if (abs >= 0x477ff000u) return sign | 0x7c00;                                              // rounds to >= 65520: inf
  if (abs < 0x38800000u) {
    // Result is subnormal (or zero): scale so the float adder rounds to
    // nearest-even at the 2^-24 quantum for us.
    const float mag = bits_to_f32(abs) + 0.5f;  // 0.5 = 2^-1: ulp of [0.5,1) is 2^-24
    return sign | static_cast<uint16_t>(f32_to_bits(mag) - 0x3f000000u);
  }
  const uint32_t odd = (abs >> 13) & 1;
  const uint32_t rounded = abs + 0xfffu + odd;  // RNE on the 13 dropped bits
  return sign | static_cast<uint16_t>((rounded - 0x38000000u) >> 13);
}

inline float bf16_to_fp32(uint16_t h) { return bits_to_f32(static_cast<uint32_t>(h) << 16); }

inline uint16_t fp32_to_bf16(float f) {
  const uint32_t u = f32_to_bits(f);
  if ((u & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((u >> 16) | 0x40);  // quiet nan
  return static_cast<uint16_t>((u + 0x7fffu + ((u >> 16) & 1)) >> 16);
}

}  // namespace cellar::kernels
