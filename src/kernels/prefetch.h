#pragma once
// Software prefetch of whole cache lines, shared by the SIMD tiles of every
// ISA folder (prefetcht0 needs only SSE). The tiles that stream weights from
// DRAM prefetch a later block: the hardware prefetcher alone left them
// waiting on memory (x16_avx512.cpp, x16_common.h of avx2/).
#include <xmmintrin.h>

namespace cellar::kernels {
// Internal linkage on purpose, as in act_rows.h: each ISA folder compiles
// this with its own instruction set.
namespace {

// The `kLines` 64-byte lines that start `kAhead` bytes past p. Always
// inlined: GCC left it out of line in the large Q6_K tile, judged the call
// free of side effects (a prefetch has none it models) and deleted it.
template <int kLines, int kAhead>
[[gnu::always_inline]] inline void prefetch_lines(const void* p) {
  const char* at = static_cast<const char*>(p) + kAhead;
#pragma GCC unroll 64
  for (int l = 0; l < kLines; ++l) _mm_prefetch(at + 64 * l, _MM_HINT_T0);
}

}  // namespace
}  // namespace cellar::kernels
