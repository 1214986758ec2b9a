#include "kernels/interleave.h"

#include <array>
#include <cstddef>
#include <cstring>
#include <stdexcept>
#include <string>

#include "kernels/blocks.h"
#include "kernels/dispatch.h"

namespace cellar::kernels {
namespace {

// `count` consecutive pieces of `bytes` at plain_off in a GGUF block; in the
// x16 block piece n of lane j sits at x16_off + (n * 16 + j) * bytes.
struct Field {
  size_t plain_off, x16_off, bytes;
  int count;
};

struct Format {
  int block_elems;
  size_t block_bytes;
  std::array<Field, 5> fields;
  int n_fields;
};

const Format* format_of(GgmlType t) {
  static const Format kQ4_0{kQK, sizeof(BlockQ4_0), {{{0, 0, 2, 1}, {2, 32, 4, 4}}}, 2};
  static const Format kQ8_0{kQK, sizeof(BlockQ8_0), {{{0, 0, 2, 1}, {2, 32, 4, 8}}}, 2};
  static const Format kQ4_K{
      kQKK, sizeof(BlockQ4_K), {{{0, 0, 2, 1}, {2, 32, 2, 1}, {4, 64, 1, kKScaleSize}, {16, 256, 4, 32}}}, 4};
  static const Format kQ5_K{kQKK,
                            sizeof(BlockQ5_K),
                            {{{0, 0, 2, 1}, {2, 32, 2, 1}, {4, 64, 1, kKScaleSize}, {16, 256, 4, 8}, {48, 768, 4, 32}}},
                            5};
  static_assert(offsetof(BlockQ5_Kx16, scales) == 64 && offsetof(BlockQ5_Kx16, qh) == 256 &&
                offsetof(BlockQ5_Kx16, qs) == 768);
  static_assert(offsetof(BlockQ5_K, scales) == 4 && offsetof(BlockQ5_K, qh) == 16 && offsetof(BlockQ5_K, qs) == 48);
  static const Format kQ6_K{
      kQKK, sizeof(BlockQ6_K), {{{0, 0, 4, 32}, {128, 2048, 4, 16}, {192, 3072, 1, 16}, {208, 3328, 2, 1}}}, 4};
  static_assert(offsetof(BlockQ6_Kx16, qh) == 2048 && offsetof(BlockQ6_Kx16, scales) == 3072 &&
                offsetof(BlockQ6_Kx16, d) == 3328);
  static_assert(offsetof(BlockQ6_K, qh) == 128 && offsetof(BlockQ6_K, scales) == 192 && offsetof(BlockQ6_K, d) == 208);
  static const Format kF16{kF16x16Cols, 2 * kF16x16Cols, {{{0, 0, 2, kF16x16Cols}}}, 1};
  static_assert(offsetof(BlockQ4_Kx16, dmin) == 32 && offsetof(BlockQ4_Kx16, scales) == 64 &&
                offsetof(BlockQ4_Kx16, qs) == 256);
  static_assert(offsetof(BlockQ4_K, scales) == 4 && offsetof(BlockQ4_K, qs) == 16);
  switch (t) {
    case GgmlType::Q4_0:
      return &kQ4_0;
    case GgmlType::Q8_0:
      return &kQ8_0;
    case GgmlType::Q4_K:
      return &kQ4_K;
    case GgmlType::Q5_K:
      return &kQ5_K;
    case GgmlType::Q6_K:
      return &kQ6_K;
    case GgmlType::F16:
      return &kF16;
    default:
      return nullptr;
  }
}

// Moves one lane's block between the layouts (kToX16 picks the direction).
// Byte offsets rather than struct pointers: GGUF data is only 32-byte
// aligned and the plain blocks are 18, 34, 144, 176 or 210 bytes long.
template <bool kToX16>
void move_block(const Format& f, const uint8_t* src, uint8_t* dst, size_t plain, size_t x16, int lane) {
  for (int k = 0; k < f.n_fields; ++k) {
    const Field& fd = f.fields[k];
    for (int n = 0; n < fd.count; ++n) {
      const size_t p = plain + fd.plain_off + n * fd.bytes;
      const size_t x = x16 + fd.x16_off + (n * kInterleave + lane) * fd.bytes;
      if constexpr (kToX16) {
        std::memcpy(dst + x, src + p, fd.bytes);
      } else {
        std::memcpy(dst + p, src + x, fd.bytes);
      }
    }
  }
}

template <bool kToX16>
void shuffle(const Format& f, const uint8_t* src, uint8_t* dst, int64_t rows, int64_t cols) {
  const int64_t nb = cols / f.block_elems;
  const size_t x16_block = kInterleave * f.block_bytes;
  for (int64_t g = 0; g < rows / kInterleave; ++g) {
    for (int64_t b = 0; b < nb; ++b) {
      for (int j = 0; j < kInterleave; ++j) {
        const size_t plain = ((g * kInterleave + j) * nb + b) * f.block_bytes;
        move_block<kToX16>(f, src, dst, plain, (g * nb + b) * x16_block, j);
      }
    }
  }
}

const Format& checked(GgmlType t, int64_t rows, int64_t cols) {
  if (!interleavable(t, rows, cols)) {
    throw std::invalid_argument("interleave: " + std::string(ggml_type_info(t).name) + " " + std::to_string(rows) +
                                "x" + std::to_string(cols) + " cannot use the x16 layout");
  }
  return *format_of(t);
}

}  // namespace

bool interleavable(GgmlType t, int64_t rows, int64_t cols) {
  const Format* f = format_of(t);
  return f && rows > 0 && rows % kInterleave == 0 && cols > 0 && cols % f->block_elems == 0;
}

bool interleave_preferred(GgmlType t) { return active().x16_native[static_cast<size_t>(t)]; }

void interleave(GgmlType t, const void* src, void* dst, int64_t rows, int64_t cols) {
  shuffle<true>(checked(t, rows, cols), static_cast<const uint8_t*>(src), static_cast<uint8_t*>(dst), rows, cols);
}

void deinterleave(GgmlType t, const void* src, void* dst, int64_t rows, int64_t cols) {
  shuffle<false>(checked(t, rows, cols), static_cast<const uint8_t*>(src), static_cast<uint8_t*>(dst), rows, cols);
}

void deinterleave_row(GgmlType t, const uint8_t* group, int lane, int64_t cols, uint8_t* out) {
  const Format& f = checked(t, kInterleave, cols);
  for (int64_t b = 0; b < cols / f.block_elems; ++b) {
    move_block<false>(f, group, out, b * f.block_bytes, b * kInterleave * f.block_bytes, lane);
  }
}

}  // namespace cellar::kernels
