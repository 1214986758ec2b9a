#pragma once
// F16 accumulator ops used by attention to reproduce llama.cpp's CPU
// flash-attention rounding (see src/model/attention.cpp): each result element
// is computed in F32 and rounded to F16 once, so every ISA gives identical bits.
#include <cstdint>

namespace cellar::kernels {

// y[i] = f16(f32(y[i]) * s)
void scale_f16(uint16_t* y, float s, int64_t n);
// y[i] = f16(f32(y[i]) + f32(x[i]) * v)
void mad_f16(uint16_t* y, const uint16_t* x, float v, int64_t n);

namespace scalar {
void scale_f16(uint16_t* y, float s, int64_t n);
void mad_f16(uint16_t* y, const uint16_t* x, float v, int64_t n);
}  // namespace scalar
namespace avx2 {
void scale_f16(uint16_t* y, float s, int64_t n);
void mad_f16(uint16_t* y, const uint16_t* x, float v, int64_t n);
}  // namespace avx2

}  // namespace cellar::kernels
