// AVX2 + FMA + F16C kernel table (this folder is compiled with -mavx2 -mfma -mf16c).
#include "kernels/gemm.h"

namespace cellar::kernels {
namespace avx2 {
GemmFn legacy_gemm(GgmlType t);
GemmFn kquant_gemm(GgmlType t);
GemmFn float_gemm(GgmlType t);
GemmFn gemm_x16(GgmlType t);
VecOps vec_ops();
void quantize_acts(QuantizedActs& out, const float* x, int64_t i0, int64_t i1);
}  // namespace avx2

namespace {
GemmFn gemm_for(GgmlType t) {
  if (GemmFn f = avx2::legacy_gemm(t)) return f;
  if (GemmFn f = avx2::kquant_gemm(t)) return f;
  return avx2::float_gemm(t);
}
}  // namespace

const IsaKernels& avx2_kernels() {
  static const IsaKernels k{gemm_for, avx2::gemm_x16, avx2::vec_ops(), avx2::quantize_acts};
  return k;
}

}  // namespace cellar::kernels
