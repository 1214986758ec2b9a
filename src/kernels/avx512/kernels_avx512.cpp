// AVX-512 (F, BW, VL, DQ, VNNI) kernel table; this folder gets those flags, and
// dot_bf16_avx512.cpp alone also BF16, used only where CPUID has it.
#include "kernels/gemm.h"

namespace cellar::kernels {
namespace avx512 {
GemmFn legacy_gemm(GgmlType t);
GemmFn kquant_gemm(GgmlType t);
GemmFn float_gemm(GgmlType t);
GemmFn gemm_x16(GgmlType t);
VecOps vec_ops();
void quantize_acts(QuantizedActs& out, const float* x, int64_t i0, int64_t i1);
}  // namespace avx512

namespace {
GemmFn gemm_for(GgmlType t) {
  if (GemmFn f = avx512::legacy_gemm(t)) return f;
  if (GemmFn f = avx512::kquant_gemm(t)) return f;
  return avx512::float_gemm(t);
}
}  // namespace

const IsaKernels& avx512_kernels() {
  static const IsaKernels k{gemm_for, avx512::gemm_x16, avx512::vec_ops(), avx512::quantize_acts};
  return k;
}

}  // namespace cellar::kernels
