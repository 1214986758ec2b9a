// Attention vector ops on every ISA the machine has, against F64 references.
#include <gtest/gtest.h>

#include <cmath>

#include "tests_kernels_util.h"

namespace cellar::kernels {
namespace {

constexpr double kVecTol = 1e-5;  // relative to |a| * |b|

std::vector<Isa> isas() {
  std::vector<Isa> v;
  for (Isa isa : {Isa::kScalar, Isa::kAvx2, Isa::kAvx512}) {
    if (isa_available(isa)) v.push_back(isa);
  }
  return v;
}

TEST(VecOps, DotsAndAxpyMatchF64) {
  for (Isa isa : isas()) {
    set_isa(isa);
    for (int64_t n : {1, 15, 64, 100, 128, 1000}) {
      const auto a = testing::random_floats(n, static_cast<uint32_t>(n));
      const auto b = testing::random_floats(n, static_cast<uint32_t>(n + 1));
      std::vector<uint16_t> ah(n);
      for (int64_t i = 0; i < n; ++i) ah[i] = fp32_to_fp16(a[i]);
      double ref = 0, ref_h = 0, na = 0, nb = 0;
      for (int64_t i = 0; i < n; ++i) {
        ref += static_cast<double>(a[i]) * b[i];
        ref_h += static_cast<double>(fp16_to_fp32(ah[i])) * b[i];
        na += static_cast<double>(a[i]) * a[i];
        nb += static_cast<double>(b[i]) * b[i];
      }
      const double scale = std::sqrt(na * nb);
      EXPECT_NEAR(dot_f32(a.data(), b.data(), n), ref, kVecTol * scale) << isa_name(isa) << " n=" << n;
      EXPECT_NEAR(dot_f16_f32(ah.data(), b.data(), n), ref_h, kVecTol * scale) << isa_name(isa) << " n=" << n;

      std::vector<float> y = b;
      axpy_f16(0.75f, ah.data(), y.data(), n);
      for (int64_t i = 0; i < n; ++i) {
        ASSERT_NEAR(y[i], b[i] + 0.75 * fp16_to_fp32(ah[i]), 1e-6 * (1 + std::fabs(b[i]))) << isa_name(isa);
      }
    }
  }
  set_isa(detected_isa());
}

TEST(VecOps, ExpMatchesTheScalarReference) {
  // Attention's softmax: differences from a running maximum (<= 0), with
  // exact 0 (weight 1, "no rescale") and far below the clamp.
  std::vector<float> x = testing::random_floats(1000, 8, 10.0f);
  for (float v : {0.0f, -0.0f, -1e-8f, -1.0f, -20.0f, -87.0f, -87.3f, -88.0f, -100.0f, 1.0f, 20.0f, 88.0f}) x.push_back(v);
  const int64_t n = static_cast<int64_t>(x.size());
  for (Isa isa : isas()) {
    set_isa(isa);
    for (int64_t len : {n, int64_t{1}, int64_t{7}, int64_t{17}}) {
      std::vector<float> got(static_cast<size_t>(len), std::nanf(""));
      exp_f32(x.data() + (n - len), got.data(), len);
      for (int64_t i = 0; i < len; ++i) {
        const float xi = x[n - len + i];
        const double want = std::exp(static_cast<double>(xi));
        if (xi == 0.0f) {
          ASSERT_EQ(got[i], 1.0f) << isa_name(isa);
        }
        if (xi < -87.3f) {
          ASSERT_LE(got[i], 1.3e-38f) << isa_name(isa) << " x " << xi;
        } else {
          ASSERT_NEAR(got[i], want, 2e-6 * want) << isa_name(isa) << " x " << xi;
        }
      }
    }
    std::vector<float> inplace(x.begin(), x.begin() + 20);
    exp_f32(inplace.data(), inplace.data(), 20);
    for (int i = 0; i < 20; ++i) ASSERT_NEAR(inplace[i], std::exp(static_cast<double>(x[i])), 2e-6 * std::exp(x[i]));
  }
  set_isa(detected_isa());
}

TEST(VecOps, SwigluMatchesTheScalarReference) {
  std::vector<float> gate = testing::random_floats(1000, 5, 4.0f), up = testing::random_floats(1000, 6);
  // Saturation on both sides, zero, and values around the clamp of the exponent.
  for (float g : {-100.0f, -88.0f, -87.0f, -20.0f, -1e-8f, 0.0f, 1e-8f, 20.0f, 88.0f, 100.0f}) gate.push_back(g);
  up.resize(gate.size(), 1.5f);
  const int64_t n = static_cast<int64_t>(gate.size());
  std::vector<float> want(gate.size());
  set_isa(Isa::kScalar);
  swiglu(gate.data(), up.data(), want.data(), n);
  for (int64_t i = 0; i < n; ++i) {
    const double g = gate[i];
    ASSERT_NEAR(want[i], g / (1 + std::exp(-g)) * up[i], 1e-6 * (1 + std::fabs(want[i]))) << i;
  }
  for (Isa isa : isas()) {
    set_isa(isa);
    for (int64_t len : {n, int64_t{1}, int64_t{15}, int64_t{17}}) {
      std::vector<float> got(static_cast<size_t>(len), std::nanf(""));
      swiglu(gate.data() + (n - len), up.data() + (n - len), got.data(), len);
      for (int64_t i = 0; i < len; ++i) {
        const float w = want[n - len + i];
        ASSERT_NEAR(got[i], w, 2e-6 * std::fabs(w) + 1e-30) << isa_name(isa) << " gate " << gate[n - len + i];
      }
    }
  }
  set_isa(detected_isa());
}

}  // namespace
}  // namespace cellar::kernels
