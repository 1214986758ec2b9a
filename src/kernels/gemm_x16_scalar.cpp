// Scalar reference gemm for the x16 layout (interleave.h): each weight row
// is gathered back into the GGUF layout and handed to the row-major scalar
// reference, so the x16 SIMD kernels are checked against the very same sums.
#include <vector>

#include "kernels/interleave.h"
#include "kernels/type_traits.h"

namespace cellar::kernels {
namespace {

template <GgmlType kType>
void gemm_x16(const GemmArgs& a, int64_t r0, int64_t r1, int64_t i0, int64_t i1) {
  static const GemmFn plain = scalar_gemm(kType);
  std::vector<uint8_t> row(a.w_stride);  // [row bytes] one row in the GGUF layout
  for (int64_t r = r0; r < r1; ++r) {
    const uint8_t* group = a.w + (r / kInterleave) * kInterleave * a.w_stride;
    deinterleave_row(kType, group, static_cast<int>(r % kInterleave), a.cols, row.data());
    GemmArgs one = a;
    one.w = row.data();
    one.y = a.y + r;  // row 0 of `one` is row r of the output
    plain(one, 0, 1, i0, i1);
  }
}

}  // namespace

GemmFn scalar_gemm_x16(GgmlType t) {
  switch (t) {
    case GgmlType::Q4_0:
      return gemm_x16<GgmlType::Q4_0>;
    case GgmlType::Q8_0:
      return gemm_x16<GgmlType::Q8_0>;
    case GgmlType::Q4_K:
      return gemm_x16<GgmlType::Q4_K>;
    case GgmlType::Q5_K:
      return gemm_x16<GgmlType::Q5_K>;
    case GgmlType::Q6_K:
      return gemm_x16<GgmlType::Q6_K>;
    case GgmlType::F16:
      return gemm_x16<GgmlType::F16>;
    default:
      return nullptr;
  }
}

}  // namespace cellar::kernels
