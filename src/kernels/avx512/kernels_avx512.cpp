// AVX-512 (F, BW, VL, DQ, VNNI, BF16) kernels; this folder gets those flags.
#include "kernels/gemm.h"

namespace cellar::kernels {
namespace {
GemmFn gemm_for(GgmlType) { return nullptr; }
}  // namespace

const IsaKernels& avx512_kernels() {
  static const IsaKernels k{gemm_for, {nullptr, nullptr, nullptr, nullptr}};
  return k;
}

}  // namespace cellar::kernels
