#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "kernels/kernels.h"

namespace cellar::kernels {
namespace {

TEST(Fp16, KnownValues) {
  EXPECT_EQ(fp32_to_fp16(1.0f), 0x3C00);
  EXPECT_EQ(fp32_to_fp16(-2.0f), 0xC000);
  EXPECT_EQ(fp32_to_fp16(65504.0f), 0x7BFF);
  EXPECT_EQ(fp32_to_fp16(0.0f), 0x0000);
  EXPECT_EQ(fp32_to_fp16(-0.0f), 0x8000);
  EXPECT_EQ(fp16_to_fp32(0x3555), 0.333251953125f);
  EXPECT_EQ(fp16_to_fp32(0x7BFF), 65504.0f);
}

TEST(Fp16, SubnormalsInfNan) {
  const float min_sub = std::ldexp(1.0f, -24);
  EXPECT_EQ(fp16_to_fp32(0x0001), min_sub);
  EXPECT_EQ(fp16_to_fp32(0x03FF), 1023 * min_sub);
  EXPECT_EQ(fp32_to_fp16(min_sub), 0x0001);
  EXPECT_EQ(fp32_to_fp16(0.5f * min_sub), 0x0000);  // tie -> even (0)
  EXPECT_EQ(fp32_to_fp16(1.5f * min_sub), 0x0002);  // tie -> even (2)
  EXPECT_EQ(fp32_to_fp16(0.51f * min_sub), 0x0001);
  EXPECT_EQ(fp32_to_fp16(-3 * min_sub), 0x8003);
  EXPECT_EQ(fp32_to_fp16(std::ldexp(1.0f, -14)), 0x0400);  // smallest normal
  EXPECT_EQ(fp32_to_fp16(std::numeric_limits<float>::infinity()), 0x7C00);
  EXPECT_EQ(fp32_to_fp16(-1e10f), 0xFC00);
  EXPECT_EQ(fp32_to_fp16(65520.0f), 0x7C00);  // halfway to 2^16 rounds up to inf
  EXPECT_EQ(fp32_to_fp16(65519.0f), 0x7BFF);
  EXPECT_TRUE(std::isinf(fp16_to_fp32(0xFC00)));
  EXPECT_TRUE(std::isnan(fp16_to_fp32(0x7E00)));
  EXPECT_TRUE(std::isnan(fp16_to_fp32(fp32_to_fp16(std::nanf("")))));
  EXPECT_EQ(fp32_to_fp16(std::nanf("")) & 0x7C00, 0x7C00);
}

TEST(Fp16, RoundToNearestEven) {
  // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to even (1.0).
  EXPECT_EQ(fp32_to_fp16(1.0f + std::ldexp(1.0f, -11)), 0x3C00);
  // 1 + 3*2^-11 is halfway between 0x3C01 and 0x3C02: ties to even (0x3C02).
  EXPECT_EQ(fp32_to_fp16(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3C02);
  EXPECT_EQ(fp32_to_fp16(1.0f + std::ldexp(1.0f, -11) + std::ldexp(1.0f, -20)), 0x3C01);
}

TEST(Fp16, EveryHalfRoundTrips) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const float f = fp16_to_fp32(static_cast<uint16_t>(h));
    if (std::isnan(f)) continue;
    ASSERT_EQ(fp32_to_fp16(f), h) << std::hex << h;
  }
}

TEST(Bf16, ConversionsAndRounding) {
  EXPECT_EQ(fp32_to_bf16(1.0f), 0x3F80);
  EXPECT_EQ(bf16_to_fp32(0x3F80), 1.0f);
  EXPECT_EQ(bf16_to_fp32(0xC000), -2.0f);
  EXPECT_EQ(fp32_to_bf16(1.0f + std::ldexp(1.0f, -8)), 0x3F80);      // tie -> even
  EXPECT_EQ(fp32_to_bf16(1.0f + 3 * std::ldexp(1.0f, -8)), 0x3F82);  // tie -> even
  EXPECT_EQ(fp32_to_bf16(1.0f + std::ldexp(1.0f, -8) + std::ldexp(1.0f, -20)), 0x3F81);
  EXPECT_EQ(fp32_to_bf16(std::numeric_limits<float>::infinity()), 0x7F80);
  EXPECT_TRUE(std::isnan(bf16_to_fp32(fp32_to_bf16(std::nanf("")))));
  EXPECT_EQ(bf16_to_fp32(0x0001), std::ldexp(1.0f, -133));  // subnormal kept
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const float f = bf16_to_fp32(static_cast<uint16_t>(h));
    if (std::isnan(f)) continue;
    ASSERT_EQ(fp32_to_bf16(f), h);
  }
}

TEST(Fp16, RowConversionMatchesScalarOnEveryIsa) {
  std::vector<float> src(77);  // odd length exercises the tails
  for (size_t i = 0; i < src.size(); ++i)
    src[i] = std::ldexp(static_cast<float>(i) - 30.3f, static_cast<int>(i % 40) - 20);
  for (Isa isa : {Isa::kScalar, Isa::kAvx2, Isa::kAvx512}) {
    if (!isa_available(isa)) continue;
    set_isa(isa);
    std::vector<uint16_t> out(src.size());
    fp32_to_fp16_row(src.data(), out.data(), static_cast<int64_t>(src.size()));
    for (size_t i = 0; i < src.size(); ++i) EXPECT_EQ(out[i], fp32_to_fp16(src[i])) << isa_name(isa) << " " << i;
  }
  set_isa(detected_isa());
}

}  // namespace
}  // namespace cellar::kernels
