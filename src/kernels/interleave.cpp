#include "kernels/interleave.h"

#include <cstddef>
#include <cstring>
#include <string>
#include <stdexcept>

#include "kernels/blocks.h"
#include "kernels/dispatch.h"

namespace cellar::kernels {
namespace {

// Moves every scale and 4-byte chunk between the layouts (kToX16 picks the
// direction). Byte offsets rather than struct pointers: GGUF data is only
// 32-byte aligned and the plain blocks are 18 or 34 bytes long.
template <typename Block, typename BlockX16, int kChunks, bool kToX16>
void shuffle(const uint8_t* src, uint8_t* dst, int64_t rows, int64_t cols) {
  const int64_t nb = cols / kQK;
  auto copy = [&](size_t plain, size_t x16, size_t n) {
    if constexpr (kToX16) {
      std::memcpy(dst + x16, src + plain, n);
    } else {
      std::memcpy(dst + plain, src + x16, n);
    }
  };
  for (int64_t g = 0; g < rows / kInterleave; ++g) {
    for (int64_t b = 0; b < nb; ++b) {
      const size_t x16 = (g * nb + b) * sizeof(BlockX16);
      for (int j = 0; j < kInterleave; ++j) {
        const size_t plain = ((g * kInterleave + j) * nb + b) * sizeof(Block);
        copy(plain + offsetof(Block, d), x16 + offsetof(BlockX16, d) + 2 * j, 2);
        for (int c = 0; c < kChunks; ++c) {
          copy(plain + offsetof(Block, qs) + 4 * c, x16 + offsetof(BlockX16, qs) + (c * kInterleave + j) * 4, 4);
        }
      }
    }
  }
}

void check(GgmlType t, int64_t rows, int64_t cols) {
  if (!interleavable(t, rows, cols)) {
    throw std::invalid_argument("interleave: " + std::string(ggml_type_info(t).name) + " " + std::to_string(rows) +
                                "x" + std::to_string(cols) + " cannot use the x16 layout");
  }
}

}  // namespace

bool interleavable(GgmlType t, int64_t rows, int64_t cols) {
  return (t == GgmlType::Q4_0 || t == GgmlType::Q8_0) && rows > 0 && rows % kInterleave == 0 && cols > 0 &&
         cols % kQK == 0;
}

bool interleave_preferred(GgmlType t) { return active().x16_native[static_cast<size_t>(t)]; }

void interleave(GgmlType t, const void* src, void* dst, int64_t rows, int64_t cols) {
  check(t, rows, cols);
  const auto* s = static_cast<const uint8_t*>(src);
  auto* d = static_cast<uint8_t*>(dst);
  if (t == GgmlType::Q4_0) {
    shuffle<BlockQ4_0, BlockQ4_0x16, 4, true>(s, d, rows, cols);
  } else {
    shuffle<BlockQ8_0, BlockQ8_0x16, 8, true>(s, d, rows, cols);
  }
}

void deinterleave(GgmlType t, const void* src, void* dst, int64_t rows, int64_t cols) {
  check(t, rows, cols);
  const auto* s = static_cast<const uint8_t*>(src);
  auto* d = static_cast<uint8_t*>(dst);
  if (t == GgmlType::Q4_0) {
    shuffle<BlockQ4_0, BlockQ4_0x16, 4, false>(s, d, rows, cols);
  } else {
    shuffle<BlockQ8_0, BlockQ8_0x16, 8, false>(s, d, rows, cols);
  }
}

}  // namespace cellar::kernels
