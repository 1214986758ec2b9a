// matmul against an F64 reference built from the dequantized weights and the
// un-quantized activations, and every SIMD variant against the scalar one.
// Errors are measured relative to |w_r| * |x_i|, the natural scale of a dot.
#include <gtest/gtest.h>

#include <cmath>
#include <tuple>
#include <vector>

#include "kernels/activations.h"
#include "kernels/avx512/bf16_avx512.h"
#include "kernels/dispatch.h"
#include "kernels/gemm.h"
#include "tests_kernels_util.h"

namespace cellar::kernels {
namespace {

using testing::kAllTypes;
using testing::norm;

// 8-bit activations (scale amax/127 per block) add ~0.3% RMS error per
// element; the dot's error relative to |w||x| stays well below 1%.
constexpr double kQ8ActivationTol = 0.01;
constexpr double kFloatActivationTol = 1e-5;  // f32 activations: summation order only
constexpr double kSimdVsScalarTol = 2e-5;     // same integer sums, different float order
// AVX-512 multiplies BF16 weights by activations rounded to bf16 (vdpbf16ps):
// each activation moves by at most 2^-9 of itself, the dot by 2^-9 of |w| |x|.
constexpr double kBf16ActivationTol = 0x1p-9 + kFloatActivationTol;

double simd_tolerance(GgmlType t, Isa isa) {
  return t == GgmlType::BF16 && isa == Isa::kAvx512 ? kBf16ActivationTol : kSimdVsScalarTol;
}

double tolerance(GgmlType t) {
  return t == GgmlType::F32 || t == GgmlType::F16 || t == GgmlType::BF16 ? kFloatActivationTol : kQ8ActivationTol;
}

struct Case {
  int64_t rows, cols, m;
  int threads;
};

const Case kCases[] = {{7, 256, 1, 1},   {33, 512, 1, 2},  {50, 256, 3, 2}, {37, 512, 9, 3},
                       {64, 1024, 5, 2}, {3, 256, 130, 2}, {9, 256, 13, 2}};

struct Problem {
  std::vector<uint8_t> w;  // [rows][row_bytes]
  std::vector<float> wf;   // [rows][cols] dequantized
  std::vector<float> x;    // [m][cols]
};

Problem make_problem(GgmlType t, const Case& c) {
  Problem p;
  const auto w = testing::random_floats(c.rows * c.cols, static_cast<uint32_t>(c.rows * 31 + c.cols));
  p.w = testing::quantize(t, w, c.rows, c.cols);
  p.wf = testing::dequantize(t, p.w, c.rows, c.cols);
  p.x = testing::random_floats(c.m * c.cols, static_cast<uint32_t>(c.m * 7 + 1));
  return p;
}

std::vector<float> run(GgmlType t, const Case& c, const Problem& p, ThreadPool& pool) {
  std::vector<float> y(c.m * c.rows, std::nanf(""));
  matmul(Matrix{p.w.data(), t, c.rows, c.cols}, p.x.data(), c.m, y.data(), pool);
  return y;
}

class MatmulByType : public ::testing::TestWithParam<GgmlType> {};

TEST_P(MatmulByType, MatchesF64Reference) {
  const GgmlType t = GetParam();
  set_isa(Isa::kScalar);
  for (const Case& c : kCases) {
    ThreadPool pool(c.threads);
    const Problem p = make_problem(t, c);
    const auto y = run(t, c, p, pool);
    for (int64_t i = 0; i < c.m; ++i) {
      for (int64_t r = 0; r < c.rows; ++r) {
        double ref = 0;
        for (int64_t k = 0; k < c.cols; ++k) ref += static_cast<double>(p.wf[r * c.cols + k]) * p.x[i * c.cols + k];
        const double scale = norm(&p.wf[r * c.cols], c.cols) * norm(&p.x[i * c.cols], c.cols);
        ASSERT_LE(std::fabs(y[i * c.rows + r] - ref), tolerance(t) * scale)
            << "m=" << c.m << " row " << r << " act " << i;
      }
    }
  }
  set_isa(detected_isa());
}

TEST_P(MatmulByType, SimdVariantsMatchScalar) {
  const GgmlType t = GetParam();
  for (Isa isa : {Isa::kAvx2, Isa::kAvx512}) {
    if (!isa_available(isa)) continue;
    for (const Case& c : kCases) {
      ThreadPool pool(c.threads);
      const Problem p = make_problem(t, c);
      set_isa(Isa::kScalar);
      const auto ref = run(t, c, p, pool);
      set_isa(isa);
      const auto y = run(t, c, p, pool);
      for (int64_t i = 0; i < c.m; ++i) {
        for (int64_t r = 0; r < c.rows; ++r) {
          const double scale = norm(&p.wf[r * c.cols], c.cols) * norm(&p.x[i * c.cols], c.cols);
          ASSERT_LE(std::fabs(y[i * c.rows + r] - ref[i * c.rows + r]), simd_tolerance(t, isa) * scale)
              << isa_name(isa) << " m=" << c.m << " row " << r << " act " << i;
        }
      }
    }
  }
  set_isa(detected_isa());
}

INSTANTIATE_TEST_SUITE_P(AllTypes, MatmulByType, ::testing::ValuesIn(kAllTypes),
                         [](const ::testing::TestParamInfo<GgmlType>& info) {
                           return std::string(ggml_type_info(info.param).name);
                         });

TEST(Matmul, FloatTypesTakeAnyWidthOnEveryIsa) {
  const Case c{5, 37, 7, 2};  // 37 columns: masked tails in the SIMD loops
  for (Isa isa : {Isa::kScalar, Isa::kAvx2, Isa::kAvx512}) {
    if (!isa_available(isa)) continue;
    set_isa(isa);
    for (GgmlType t : {GgmlType::F32, GgmlType::F16, GgmlType::BF16}) {
      ThreadPool pool(c.threads);
      const Problem p = make_problem(t, c);
      const auto y = run(t, c, p, pool);
      for (int64_t i = 0; i < c.m; ++i) {
        for (int64_t r = 0; r < c.rows; ++r) {
          double ref = 0;
          for (int64_t k = 0; k < c.cols; ++k) ref += static_cast<double>(p.wf[r * c.cols + k]) * p.x[i * c.cols + k];
          const double scale = norm(&p.wf[r * c.cols], c.cols) * norm(&p.x[i * c.cols], c.cols);
          const double tol = t == GgmlType::BF16 && isa == Isa::kAvx512 ? kBf16ActivationTol : kFloatActivationTol;
          ASSERT_LE(std::fabs(y[i * c.rows + r] - ref), tol * scale) << isa_name(isa);
        }
      }
    }
  }
  set_isa(detected_isa());
}

// Widths that are multiples of 16 but not of 32: the AVX-512 BF16 tile's
// masked tail step (pairs of bf16 per lane).
TEST(Matmul, Bf16HalfStepTailsOnEveryIsa) {
  for (Isa isa : {Isa::kScalar, Isa::kAvx2, Isa::kAvx512}) {
    if (!isa_available(isa)) continue;
    set_isa(isa);
    for (const Case& c : {Case{6, 48, 3, 2}, Case{9, 80, 7, 1}}) {
      ThreadPool pool(c.threads);
      const Problem p = make_problem(GgmlType::BF16, c);
      const auto y = run(GgmlType::BF16, c, p, pool);
      for (int64_t i = 0; i < c.m; ++i) {
        for (int64_t r = 0; r < c.rows; ++r) {
          double ref = 0;
          for (int64_t k = 0; k < c.cols; ++k) ref += static_cast<double>(p.wf[r * c.cols + k]) * p.x[i * c.cols + k];
          const double scale = norm(&p.wf[r * c.cols], c.cols) * norm(&p.x[i * c.cols], c.cols);
          const double tol = isa == Isa::kAvx512 ? kBf16ActivationTol : kFloatActivationTol;
          ASSERT_LE(std::fabs(y[i * c.rows + r] - ref), tol * scale) << isa_name(isa) << " cols " << c.cols;
        }
      }
    }
  }
  set_isa(detected_isa());
}

// Both AVX-512 BF16 kernels, called directly: the table takes vdpbf16ps only
// where CPUID has AVX-512 BF16, and the widening kernel everywhere else
// (Cascade Lake, Ice Lake), so each is checked here whatever this CPU is.
TEST(Matmul, Avx512Bf16KernelsWithAndWithoutTheBf16Extension) {
  if (!isa_available(Isa::kAvx512)) GTEST_SKIP() << "no AVX-512 on this CPU";
  const Case c{21, 96, 9, 1};  // 96 columns: three 32-column dot steps; 21 rows: a partial row quad
  const Problem p = make_problem(GgmlType::BF16, c);
  QuantizedActs acts;
  prepare_acts(ActFormat::kF32, p.x.data(), c.m, c.cols, acts);
  struct Path {
    GemmFn fn;
    double tol;
    const char* name;
  };
  std::vector<Path> paths{{avx512::bf16_widen_gemm(), kFloatActivationTol, "widen"}};
  if (cpu_has_avx512_bf16()) paths.push_back({avx512::bf16_dot_gemm(), kBf16ActivationTol, "vdpbf16ps"});
  for (const Path& path : paths) {
    std::vector<float> y(c.m * c.rows, std::nanf(""));
    const GemmArgs args{p.w.data(), p.w.size() / c.rows, c.cols, &acts, y.data(), c.rows};
    path.fn(args, 0, c.rows, 0, c.m);
    for (int64_t i = 0; i < c.m; ++i) {
      for (int64_t r = 0; r < c.rows; ++r) {
        double ref = 0;
        for (int64_t k = 0; k < c.cols; ++k) ref += static_cast<double>(p.wf[r * c.cols + k]) * p.x[i * c.cols + k];
        const double scale = norm(&p.wf[r * c.cols], c.cols) * norm(&p.x[i * c.cols], c.cols);
        ASSERT_LE(std::fabs(y[i * c.rows + r] - ref), path.tol * scale) << path.name << " row " << r << " act " << i;
      }
    }
  }
}

TEST(Matmul, MultiMatchesSeparateCalls) {
  // Q4_K + Q6_K share Q8x256 activations (one parallel region); Q4_0 and F32
  // force the one-by-one fallback. Same kernels either way: identical bits.
  const int64_t cols = 512, m = 3;
  const GgmlType types[] = {GgmlType::Q4_K, GgmlType::Q6_K, GgmlType::Q4_0, GgmlType::F32};
  const int64_t rows[] = {40, 17, 33, 5};
  const auto x = testing::random_floats(m * cols, 3);
  for (size_t n_mats : {size_t{2}, size_t{4}}) {
    std::vector<std::vector<uint8_t>> w(n_mats);
    std::vector<Matrix> mats;
    std::vector<std::vector<float>> y(n_mats), ref(n_mats);
    std::vector<float*> ys;
    ThreadPool pool(2);
    for (size_t k = 0; k < n_mats; ++k) {
      w[k] = testing::quantize(types[k], testing::random_floats(rows[k] * cols, 10 + k), rows[k], cols);
      mats.push_back(Matrix{w[k].data(), types[k], rows[k], cols});
      y[k].assign(m * rows[k], std::nanf(""));
      ref[k].assign(m * rows[k], 0.0f);
      ys.push_back(y[k].data());
      matmul(mats[k], x.data(), m, ref[k].data(), pool);
    }
    matmul_multi(mats, x.data(), m, ys, pool);
    for (size_t k = 0; k < n_mats; ++k) EXPECT_EQ(y[k], ref[k]) << ggml_type_info(types[k]).name;
  }
}

TEST(Matmul, RejectsBadShapes) {
  ThreadPool pool(1);
  std::vector<uint8_t> w(4096);
  std::vector<float> x(100), y(100);
  EXPECT_THROW(matmul(Matrix{w.data(), GgmlType::Q4_0, 2, 48}, x.data(), 1, y.data(), pool), std::invalid_argument);
  EXPECT_THROW(matmul(Matrix{w.data(), GgmlType::IQ1_S, 2, 256}, x.data(), 1, y.data(), pool), std::invalid_argument);
}

TEST(Isa, DetectionAndSwitching) {
  EXPECT_TRUE(isa_available(Isa::kScalar));
  EXPECT_TRUE(isa_available(detected_isa()));
  EXPECT_EQ(isa_name(Isa::kAvx512), "avx512");
  set_isa(Isa::kScalar);
  EXPECT_EQ(active_isa(), Isa::kScalar);
  for (Isa isa : {Isa::kAvx2, Isa::kAvx512}) {
    if (isa_available(isa)) {
      set_isa(isa);
      EXPECT_EQ(active_isa(), isa);
    } else {
      EXPECT_THROW(set_isa(isa), std::invalid_argument);
    }
  }
  set_isa(detected_isa());
  if (detected_isa() == Isa::kAvx512) {
    EXPECT_NE(cpu_features().find("avx512vnni"), std::string::npos);
  }
}

}  // namespace
}  // namespace cellar::kernels
