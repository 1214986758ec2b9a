// Scalar reference gemm for the x16 layout (interleave.h): the same integer
// block sums as the row-major reference, read through the interleaved
// layout one row (lane) at a time.
#include <cstring>

#include "kernels/blocks.h"
#include "kernels/fp16.h"
#include "kernels/interleave.h"
#include "kernels/type_traits.h"

namespace cellar::kernels {
namespace {

// Signed quant of element e (0..31) of lane j.
int quant(const BlockQ4_0x16& b, int j, int e) {
  const uint8_t byte = b.qs[(e % 16) / 4][j][e % 4];
  return (e < 16 ? byte & 0x0F : byte >> 4) - 8;
}
int quant(const BlockQ8_0x16& b, int j, int e) { return b.qs[e / 4][j][e % 4]; }

template <typename BlockX16>
void gemm_x16(const GemmArgs& a, int64_t r0, int64_t r1, int64_t i0, int64_t i1) {
  const int64_t nb = a.cols / kQK;
  for (int64_t r = r0; r < r1; ++r) {
    const int j = static_cast<int>(r % kInterleave);
    const auto* group = a.w + (r / kInterleave) * kInterleave * a.w_stride;  // [nb] BlockX16
    for (int64_t i = i0; i < i1; ++i) {
      const int8_t* xq = a.x->row_qs(i);  // [cols]
      const float* xd = a.x->row_d(i);    // [cols / 32]
      float sum = 0.0f;
      for (int64_t b = 0; b < nb; ++b) {
        BlockX16 blk;
        std::memcpy(&blk, group + b * sizeof(BlockX16), sizeof blk);
        int isum = 0;
        for (int e = 0; e < kQK; ++e) isum += quant(blk, j, e) * xq[b * kQK + e];
        sum += fp16_to_fp32(blk.d[j]) * xd[b] * static_cast<float>(isum);
      }
      a.y[i * a.ldy + r] = sum;
    }
  }
}

}  // namespace

GemmFn scalar_gemm_x16(GgmlType t) {
  switch (t) {
    case GgmlType::Q4_0:
      return gemm_x16<BlockQ4_0x16>;
    case GgmlType::Q8_0:
      return gemm_x16<BlockQ8_0x16>;
    default:
      return nullptr;
  }
}

}  // namespace cellar::kernels
