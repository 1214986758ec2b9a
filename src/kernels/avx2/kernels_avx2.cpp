// AVX2 + FMA + F16C kernels (this folder is compiled with -mavx2 -mfma -mf16c).
#include "kernels/gemm.h"

namespace cellar::kernels {
namespace {
GemmFn gemm_for(GgmlType) { return nullptr; }
}  // namespace

const IsaKernels& avx2_kernels() {
  static const IsaKernels k{gemm_for, {nullptr, nullptr, nullptr, nullptr}};
  return k;
}

}  // namespace cellar::kernels
