#include "kernels/f16_accum.h"

#include "kernels/fp16.h"
#include "kernels/kernels.h"

namespace cellar::kernels {

namespace scalar {
void scale_f16(uint16_t* y, float s, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = fp32_to_fp16(fp16_to_fp32(y[i]) * s);
}
void mad_f16(uint16_t* y, const uint16_t* x, float v, int64_t n) {
  // Separate multiply and add (no fused rounding) so that scalar and SIMD agree bit for bit.
  for (int64_t i = 0; i < n; ++i) {
    volatile float prod = fp16_to_fp32(x[i]) * v;
    y[i] = fp32_to_fp16(fp16_to_fp32(y[i]) + prod);
  }
}
}  // namespace scalar

void scale_f16(uint16_t* y, float s, int64_t n) {
  if (active_isa() != Isa::kScalar) return avx2::scale_f16(y, s, n);
  scalar::scale_f16(y, s, n);
}

void mad_f16(uint16_t* y, const uint16_t* x, float v, int64_t n) {
  if (active_isa() != Isa::kScalar) return avx2::mad_f16(y, x, v, n);
  scalar::mad_f16(y, x, v, n);
}

}  // namespace cellar::kernels
