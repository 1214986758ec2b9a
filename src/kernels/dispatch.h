#pragma once
// The kernel table in use (internal to kernels/): filled once per ISA,
// swapped by set_isa().
#include <array>

#include "kernels/gemm.h"
#include "kernels/kernels.h"

namespace cellar::kernels {

struct ActiveKernels {
  Isa isa = Isa::kScalar;
  VecOps vec{};
  QuantizeActsFn quantize_acts = nullptr;
  std::array<GemmFn, 40> gemm{};      // indexed by GgmlType id; null: unsupported
  std::array<GemmFn, 40> gemm_x16{};  // x16 layout (interleave.h); null: not interleavable
  std::array<bool, 40> x16_native{};  // gemm_x16 is this ISA's own SIMD kernel
};

const ActiveKernels& active();

// CPUID: AVX-512 BF16 (vdpbf16ps), which not every AVX-512 CPU has; the
// AVX-512 table takes avx512/dot_bf16_avx512.cpp's kernel only with it.
bool cpu_has_avx512_bf16();

}  // namespace cellar::kernels
