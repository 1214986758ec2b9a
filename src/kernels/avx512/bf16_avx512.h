#pragma once
// The two AVX-512 kernels for BF16 weights. AVX-512 BF16 (vdpbf16ps) is not
// on every AVX-512 CPU (Cascade Lake and Ice Lake Xeons have VNNI without
// it), so only dot_bf16_avx512.cpp is compiled with -mavx512bf16, and the
// kernel table takes it when CPUID says so (cpu_has_avx512_bf16, dispatch.h).
#include "kernels/gemm.h"

namespace cellar::kernels::avx512 {

GemmFn bf16_dot_gemm();     // vdpbf16ps, activations rounded to bf16 (dot_bf16_avx512.cpp)
GemmFn bf16_widen_gemm();   // weights widened to f32, f32 FMAs (float_avx512.cpp)

}  // namespace cellar::kernels::avx512
