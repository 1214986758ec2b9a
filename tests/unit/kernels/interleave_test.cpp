// The x16 layout (kernels/interleave.h): repacking is a lossless permutation,
// and matmul over x16 weights gives the row-major result on every ISA.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstring>
#include <random>

#include "kernels/blocks.h"
#include "kernels/fp16.h"
#include "tests_kernels_util.h"

namespace cellar::kernels {
namespace {

using testing::norm;

// Same integer block sums as the row-major kernels; only the float order of
// the per-block scaling differs.
constexpr double kX16VsRowsTol = 2e-5;

const GgmlType kX16Types[] = {GgmlType::Q4_0, GgmlType::Q8_0, GgmlType::Q4_K, GgmlType::Q5_K, GgmlType::Q6_K,
                              GgmlType::F16};

struct Shape {
  int64_t rows, cols, m;
  int threads;
};
// m = 1 (decode), odd tails of the 8-row activation tiles, > 128 (two activation blocks).
// The m = 1 shapes with 1024 and 784 rows give the decode tiles chunks of 8
// and 3 groups (four-stream quads, full and partial).
const Shape kShapes[] = {{16, 256, 1, 1},  {48, 256, 1, 2},   {32, 512, 3, 2},  {64, 768, 13, 2},
                         {16, 256, 130, 2}, {1024, 256, 1, 1}, {784, 512, 1, 2}};

TEST(Interleave, RoundTripIsExact) {
  for (GgmlType t : kX16Types) {
    const int64_t rows = 32, cols = 512;
    const auto w = testing::quantize(t, testing::random_floats(rows * cols, 5), rows, cols);
    std::vector<uint8_t> x16(w.size()), back(w.size());
    interleave(t, w.data(), x16.data(), rows, cols);
    EXPECT_NE(x16, w);  // really moved
    deinterleave(t, x16.data(), back.data(), rows, cols);
    EXPECT_EQ(back, w) << ggml_type_info(t).name;
  }
}

TEST(Interleave, LayoutPutsRowBytesInLanes) {
  // Row 5, block 1, bytes 8..11 of its quants must sit in chunk 2, lane 5.
  const int64_t rows = 16, cols = 64;
  const auto w = testing::quantize(GgmlType::Q4_0, testing::random_floats(rows * cols, 9), rows, cols);
  std::vector<uint8_t> x16(w.size());
  interleave(GgmlType::Q4_0, w.data(), x16.data(), rows, cols);
  const uint8_t* plain_block = w.data() + (5 * 2 + 1) * 18;  // 2 blocks per row
  BlockQ4_0x16 blk;
  std::memcpy(&blk, x16.data() + sizeof(BlockQ4_0x16), sizeof blk);
  EXPECT_EQ(0, std::memcmp(blk.qs[2][5], plain_block + 2 + 8, 4));
  EXPECT_EQ(0, std::memcmp(&blk.d[5], plain_block, 2));
}

TEST(Interleave, Q5_KFifthBitsSitInRowLanes) {
  // qh bytes 12..15 of row 3, super-block 0 -> qh chunk 3, lane 3; quant
  // bytes 100..103 of row 3 -> qs chunk 25, lane 3.
  const int64_t rows = 16, cols = 256;
  const auto w = testing::quantize(GgmlType::Q5_K, testing::random_floats(rows * cols, 8), rows, cols);
  std::vector<uint8_t> x16(w.size());
  interleave(GgmlType::Q5_K, w.data(), x16.data(), rows, cols);
  const uint8_t* plain_block = w.data() + 3 * sizeof(BlockQ5_K);
  BlockQ5_Kx16 blk;
  std::memcpy(&blk, x16.data(), sizeof blk);
  EXPECT_EQ(0, std::memcmp(blk.qh[3][3], plain_block + offsetof(BlockQ5_K, qh) + 12, 4));
  EXPECT_EQ(0, std::memcmp(blk.qs[25][3], plain_block + offsetof(BlockQ5_K, qs) + 100, 4));
  EXPECT_EQ(0, std::memcmp(&blk.dmin[3], plain_block + offsetof(BlockQ5_K, dmin), 2));
}

TEST(Interleave, Q4_KScalesSitInRowLanes) {
  // Scale byte 7 of row 9, super-block 1 -> scales[7][9] of x16 block 1.
  const int64_t rows = 16, cols = 512;
  const auto w = testing::quantize(GgmlType::Q4_K, testing::random_floats(rows * cols, 2), rows, cols);
  std::vector<uint8_t> x16(w.size());
  interleave(GgmlType::Q4_K, w.data(), x16.data(), rows, cols);
  const uint8_t* plain_block = w.data() + (9 * 2 + 1) * 144;
  BlockQ4_Kx16 blk;
  std::memcpy(&blk, x16.data() + sizeof(BlockQ4_Kx16), sizeof blk);
  EXPECT_EQ(blk.scales[7][9], plain_block[4 + 7]);
  EXPECT_EQ(0, std::memcmp(blk.qs[31][9], plain_block + 16 + 124, 4));
  EXPECT_EQ(0, std::memcmp(&blk.dmin[9], plain_block + 2, 2));
}

TEST(Interleave, OnlyWholeGroupsOfSupportedTypes) {
  EXPECT_TRUE(interleavable(GgmlType::Q4_0, 32, 64));
  EXPECT_FALSE(interleavable(GgmlType::Q4_0, 24, 64));
  EXPECT_FALSE(interleavable(GgmlType::Q4_K, 32, 96));
  EXPECT_FALSE(interleavable(GgmlType::Q3_K, 32, 256));
  std::vector<uint8_t> buf(24 * 2 * 18);
  EXPECT_THROW(interleave(GgmlType::Q4_0, buf.data(), buf.data(), 24, 64), std::invalid_argument);
  ThreadPool pool(1);
  std::vector<float> x(64), y(24);
  EXPECT_THROW(matmul(Matrix{buf.data(), GgmlType::Q4_0, 24, 64, Layout::kX16}, x.data(), 1, y.data(), pool),
               std::invalid_argument);
}

TEST(Interleave, MatmulMatchesRowMajorOnEveryIsa) {
  for (Isa isa : {Isa::kScalar, Isa::kAvx2, Isa::kAvx512}) {
    if (!isa_available(isa)) continue;
    for (GgmlType t : kX16Types) {
      for (const Shape& s : kShapes) {
        ThreadPool pool(s.threads);
        const auto w = testing::quantize(t, testing::random_floats(s.rows * s.cols, 3), s.rows, s.cols);
        const auto wf = testing::dequantize(t, w, s.rows, s.cols);
        const auto x = testing::random_floats(s.m * s.cols, 4);
        std::vector<uint8_t> x16(w.size());
        interleave(t, w.data(), x16.data(), s.rows, s.cols);
        std::vector<float> ref(s.m * s.rows), y(s.m * s.rows, std::nanf(""));
        set_isa(Isa::kScalar);
        matmul(Matrix{w.data(), t, s.rows, s.cols}, x.data(), s.m, ref.data(), pool);
        set_isa(isa);
        matmul(Matrix{x16.data(), t, s.rows, s.cols, Layout::kX16}, x.data(), s.m, y.data(), pool);
        for (int64_t i = 0; i < s.m; ++i) {
          for (int64_t r = 0; r < s.rows; ++r) {
            const double scale = norm(&wf[r * s.cols], s.cols) * norm(&x[i * s.cols], s.cols);
            ASSERT_LE(std::fabs(y[i * s.rows + r] - ref[i * s.rows + r]), kX16VsRowsTol * scale)
                << isa_name(isa) << " " << ggml_type_info(t).name << " m=" << s.m << " row " << r << " act " << i;
          }
        }
      }
    }
  }
  set_isa(detected_isa());
}

// Every weight and activation at +-127 with matching signs: each product is
// 127 * 127, the worst case for the AVX2 Q8_0 kernel's int16 pair sums
// (2 * 127 * 127 = 32258), which must go to int32 before they add up.
TEST(Interleave, Q8_0AtFullScaleDoesNotOverflowOnEveryIsa) {
  const int64_t rows = 32, cols = 256;
  std::vector<float> wf(rows * cols), x(cols);
  for (int64_t c = 0; c < cols; ++c) x[c] = (c * 7 % 3 == 0) ? -1.0f : 1.0f;
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) wf[r * cols + c] = (r % 2 ? -0.5f : 0.5f) * x[c];
  }
  const auto w = testing::quantize(GgmlType::Q8_0, wf, rows, cols);
  std::vector<uint8_t> x16(w.size());
  interleave(GgmlType::Q8_0, w.data(), x16.data(), rows, cols);
  ThreadPool pool(1);
  for (Isa isa : {Isa::kScalar, Isa::kAvx2, Isa::kAvx512}) {
    if (!isa_available(isa)) continue;
    set_isa(isa);
    std::vector<float> y(rows, std::nanf(""));
    matmul(Matrix{x16.data(), GgmlType::Q8_0, rows, cols, Layout::kX16}, x.data(), 1, y.data(), pool);
    for (int64_t r = 0; r < rows; ++r) {
      const float expect = (r % 2 ? -0.5f : 0.5f) * static_cast<float>(cols);
      EXPECT_NEAR(y[r], expect, 1e-3 * cols) << isa_name(isa) << " row " << r;
    }
  }
  set_isa(detected_isa());
}

// Weights with every quant code at the ends of its range (or random codes),
// against activations at +-127: the SIMD tiles' integer sums at their
// largest. Covers the Q6_K offset that each sub-block sum starts from
// (-32 * the activations' sum) and the Q4_K int16 pairs of sub-block sums.
struct ScaleField {
  size_t offset;
  float value;
};
struct ExtremeType {
  GgmlType type;
  size_t block_bytes;
  std::vector<ScaleField> scales;  // fp16 fields of each block
};

std::vector<uint8_t> extreme_weights(const ExtremeType& e, int64_t rows, int64_t cols, int pattern) {
  std::vector<uint8_t> w(ggml_row_size(e.type, cols) * rows);
  std::mt19937 rng(17);
  for (size_t i = 0; i < w.size(); ++i) w[i] = pattern == 0 ? 0x00 : pattern == 1 ? 0xFF : static_cast<uint8_t>(rng());
  for (size_t b = 0; b < w.size() / e.block_bytes; ++b) {
    for (const ScaleField& f : e.scales) {
      const uint16_t h = fp32_to_fp16(f.value);
      std::memcpy(w.data() + b * e.block_bytes + f.offset, &h, 2);
    }
  }
  return w;
}

TEST(Interleave, ExtremeCodesMatchTheScalarReferenceOnEveryIsa) {
  const ExtremeType types[] = {
      {GgmlType::Q4_0, sizeof(BlockQ4_0), {{offsetof(BlockQ4_0, d), 0.01f}}},
      {GgmlType::Q8_0, sizeof(BlockQ8_0), {{offsetof(BlockQ8_0, d), 0.01f}}},
      {GgmlType::Q4_K, sizeof(BlockQ4_K), {{offsetof(BlockQ4_K, d), 0.001f}, {offsetof(BlockQ4_K, dmin), 0.002f}}},
      {GgmlType::Q5_K, sizeof(BlockQ5_K), {{offsetof(BlockQ5_K, d), 0.0005f}, {offsetof(BlockQ5_K, dmin), 0.002f}}},
      {GgmlType::Q6_K, sizeof(BlockQ6_K), {{offsetof(BlockQ6_K, d), 0.0005f}}},
  };
  const int64_t rows = 32, cols = 512;
  ThreadPool pool(2);
  for (const ExtremeType& e : types) {
    for (int pattern = 0; pattern < 3; ++pattern) {
      const auto w = extreme_weights(e, rows, cols, pattern);
      const auto wf = testing::dequantize(e.type, w, rows, cols);
      std::vector<uint8_t> x16(w.size());
      interleave(e.type, w.data(), x16.data(), rows, cols);
      for (int64_t m : {1, 8, 13}) {
        // All +1 is the worst case for sums of like signs; mixed signs check the rest.
        std::vector<float> x(m * cols);
        for (size_t c = 0; c < x.size(); ++c) x[c] = (c < static_cast<size_t>(cols) || c * 7 % 5 >= 2) ? 1.0f : -1.0f;
        std::vector<float> ref(m * rows);
        set_isa(Isa::kScalar);
        matmul(Matrix{w.data(), e.type, rows, cols}, x.data(), m, ref.data(), pool);
        for (Isa isa : {Isa::kScalar, Isa::kAvx2, Isa::kAvx512}) {
          if (!isa_available(isa)) continue;
          set_isa(isa);
          std::vector<float> y(m * rows, std::nanf(""));
          matmul(Matrix{x16.data(), e.type, rows, cols, Layout::kX16}, x.data(), m, y.data(), pool);
          for (int64_t i = 0; i < m * rows; ++i) {
            const double scale = norm(&wf[(i % rows) * cols], cols) * norm(&x[(i / rows) * cols], cols);
            ASSERT_LE(std::fabs(y[i] - ref[i]), kX16VsRowsTol * scale)
                << isa_name(isa) << " " << ggml_type_info(e.type).name << " pattern " << pattern << " m=" << m;
          }
        }
      }
    }
  }
  set_isa(detected_isa());
}

TEST(Interleave, PreferredOnlyWithANativeKernel) {
  set_isa(Isa::kScalar);
  EXPECT_FALSE(interleave_preferred(GgmlType::Q4_0));
  if (isa_available(Isa::kAvx2)) {
    set_isa(Isa::kAvx2);  // vpmaddubsw kernels; Q6_K keeps the row layout (its x16 tile was slower at m = 1)
    EXPECT_TRUE(interleave_preferred(GgmlType::Q4_0));
    EXPECT_TRUE(interleave_preferred(GgmlType::Q4_K));
    EXPECT_TRUE(interleave_preferred(GgmlType::Q8_0));
    EXPECT_FALSE(interleave_preferred(GgmlType::Q6_K));
    EXPECT_TRUE(interleave_preferred(GgmlType::Q5_K));
    EXPECT_FALSE(interleave_preferred(GgmlType::F16));
  }
  if (isa_available(Isa::kAvx512)) {
    set_isa(Isa::kAvx512);
    EXPECT_TRUE(interleave_preferred(GgmlType::Q4_0));
    EXPECT_TRUE(interleave_preferred(GgmlType::Q8_0));
    EXPECT_TRUE(interleave_preferred(GgmlType::Q4_K));
    EXPECT_TRUE(interleave_preferred(GgmlType::F16));
    EXPECT_TRUE(interleave_preferred(GgmlType::Q6_K));
    EXPECT_TRUE(interleave_preferred(GgmlType::Q5_K));
    EXPECT_FALSE(interleave_preferred(GgmlType::Q3_K));
  }
  set_isa(detected_isa());
}

}  // namespace
}  // namespace cellar::kernels
