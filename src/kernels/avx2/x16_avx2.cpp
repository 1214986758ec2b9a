// No AVX2 kernel for the x16 layout yet: its lane-per-row scheme is built on
// AVX-512 VNNI's vpdpbusd. interleave_preferred() is therefore false on AVX2
// machines and models keep the row-major layout and the AVX2 row kernels;
// an x16 matrix passed explicitly runs on the scalar x16 reference.
#include "kernels/gemm.h"

namespace cellar::kernels::avx2 {

GemmFn gemm_x16(GgmlType) { return nullptr; }

}  // namespace cellar::kernels::avx2
