// Quantize -> dequantize round trips: the RMS error relative to the RMS of
// N(0,1) data stays within a bound per type (measured values are ~85% of
// these; a broken packer produces errors near 1.0). Q4_0 matches ggml's
// reference quantizer (0.0875); the k-quant fits are simpler than ggml's.
#include <gtest/gtest.h>

#include <map>
#include <stdexcept>

#include "tests_kernels_util.h"

namespace cellar::kernels {
namespace {

using testing::kAllTypes;

constexpr double kF32MaxRmse = 0.0;
constexpr double kF16MaxRmse = 3e-4;
constexpr double kBF16MaxRmse = 2.5e-3;
constexpr double kQ8_0MaxRmse = 0.0065;
constexpr double kQ5_0MaxRmse = 0.050;
constexpr double kQ5_1MaxRmse = 0.045;
constexpr double kQ4_0MaxRmse = 0.100;
constexpr double kQ4_1MaxRmse = 0.090;
constexpr double kQ6_KMaxRmse = 0.022;
constexpr double kQ5_KMaxRmse = 0.045;
constexpr double kQ4_KMaxRmse = 0.090;
constexpr double kQ3_KMaxRmse = 0.180;
constexpr double kQ2_KMaxRmse = 0.380;

double max_rmse(GgmlType t) {
  static const std::map<GgmlType, double> kBounds = {
      {GgmlType::F32, kF32MaxRmse},   {GgmlType::F16, kF16MaxRmse},   {GgmlType::BF16, kBF16MaxRmse},
      {GgmlType::Q8_0, kQ8_0MaxRmse}, {GgmlType::Q5_0, kQ5_0MaxRmse}, {GgmlType::Q5_1, kQ5_1MaxRmse},
      {GgmlType::Q4_0, kQ4_0MaxRmse}, {GgmlType::Q4_1, kQ4_1MaxRmse}, {GgmlType::Q6_K, kQ6_KMaxRmse},
      {GgmlType::Q5_K, kQ5_KMaxRmse}, {GgmlType::Q4_K, kQ4_KMaxRmse}, {GgmlType::Q3_K, kQ3_KMaxRmse},
      {GgmlType::Q2_K, kQ2_KMaxRmse}};
  return kBounds.at(t);
}

TEST(Quantize, RoundTripErrorWithinBound) {
  const std::pair<int64_t, int64_t> shapes[] = {{1, 256}, {3, 512}, {2, 2048}};
  for (GgmlType t : kAllTypes) {
    for (auto [rows, cols] : shapes) {
      const auto x = testing::random_floats(rows * cols, static_cast<uint32_t>(cols + rows));
      const auto back = testing::dequantize(t, testing::quantize(t, x, rows, cols), rows, cols);
      std::vector<float> err(x.size());
      for (size_t i = 0; i < x.size(); ++i) err[i] = back[i] - x[i];
      const double rel = testing::rms(err) / testing::rms(x);
      EXPECT_LE(rel, max_rmse(t)) << ggml_type_info(t).name << " " << rows << "x" << cols;
    }
  }
}

TEST(Quantize, ScaledAndOffsetDataStaysAccurate) {
  // Non-zero-mean, large-magnitude rows exercise the min/offset paths.
  for (GgmlType t : kAllTypes) {
    auto x = testing::random_floats(512, 7, 30.0f);
    for (auto& v : x) v += 50.0f;
    const auto back = testing::dequantize(t, testing::quantize(t, x, 1, 512), 1, 512);
    std::vector<float> err(x.size());
    for (size_t i = 0; i < x.size(); ++i) err[i] = back[i] - x[i];
    EXPECT_LE(testing::rms(err) / testing::rms(x), max_rmse(t)) << ggml_type_info(t).name;
  }
}

TEST(Quantize, ZeroRowsStayZero) {
  for (GgmlType t : kAllTypes) {
    std::vector<float> x(256, 0.0f);
    const auto back = testing::dequantize(t, testing::quantize(t, x, 1, 256), 1, 256);
    for (float v : back) ASSERT_EQ(v, 0.0f) << ggml_type_info(t).name;
  }
}

TEST(Quantize, RejectsBadLengthsAndTypes) {
  std::vector<float> x(48);
  std::vector<uint8_t> out(1024);
  EXPECT_THROW(quantize_row(GgmlType::Q4_0, x.data(), out.data(), 48), std::invalid_argument);
  EXPECT_THROW(dequantize_row(GgmlType::Q4_K, out.data(), x.data(), 32), std::invalid_argument);
  EXPECT_THROW(dequantize_row(GgmlType::IQ2_XXS, out.data(), x.data(), 256), std::invalid_argument);
  EXPECT_FALSE(type_supported(GgmlType::Q8_K));
  for (GgmlType t : kAllTypes) EXPECT_TRUE(type_supported(t));
}

}  // namespace
}  // namespace cellar::kernels
