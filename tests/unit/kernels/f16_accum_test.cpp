// The two halves of attention over the F16 KV cache: the F16 running sum of
// values must give the scalar reference's bits on every SIMD path (the
// reference logits depend on this rounding) and be the weighted sum it claims
// to be; the scores must match an F64 dot product.
#include "kernels/f16_accum.h"

#include <gtest/gtest.h>

#include <cmath>

#include "kernels/fp16.h"
#include "tests_kernels_util.h"

namespace cellar::kernels {
namespace {

constexpr double kScoreTol = 1e-5;  // relative to |k| * |q|

struct SumCase {
  std::vector<uint16_t> v;             // [n_keys][stride]
  std::vector<float> weight, rescale;  // [n_heads][n_keys]
  int64_t n_heads, stride, n_keys, n;
};

SumCase make_case(int64_t n_heads, int64_t n, int64_t n_keys, uint32_t seed, bool rescales) {
  SumCase c{{}, {}, {}, n_heads, n + 3, n_keys, n};
  const auto x = testing::random_floats(static_cast<size_t>(c.stride * n_keys), seed);
  for (float f : x) c.v.push_back(fp32_to_fp16(f));
  const auto w = testing::random_floats(static_cast<size_t>(n_heads * n_keys), seed + 1);
  for (int64_t j = 0; j < n_heads * n_keys; ++j) {
    c.weight.push_back(std::exp(-std::fabs(w[j])));
    // Every fifth key rescales, as a key above the running maximum does.
    c.rescale.push_back(rescales && (j * 7 + j / n_keys) % 5 == 0 ? std::exp(-std::fabs(w[j]) - 0.1f) : 1.0f);
  }
  return c;
}

std::vector<uint16_t> run(const SumCase& c, Isa isa) {
  set_isa(isa);
  std::vector<uint16_t> acc(static_cast<size_t>(c.n_heads * c.n));
  for (size_t i = 0; i < acc.size(); ++i) acc[i] = fp32_to_fp16(0.25f + 0.01f * static_cast<float>(i % 7));
  weighted_sum_f16(c.n_heads, acc.data(), c.v.data(), c.stride, c.weight.data(), c.rescale.data(), c.n_keys, c.n);
  set_isa(detected_isa());
  return acc;
}

TEST(F16Accum, EveryIsaGivesTheScalarBits) {
  for (int64_t heads : {1, 2, 3, 8}) {
    for (int64_t n : {1, 7, 8, 15, 16, 17, 33, 48, 63, 64, 65, 100, 128, 200}) {
      for (int64_t n_keys : {0, 1, 2, 37}) {
        const SumCase c = make_case(heads, n, n_keys, static_cast<uint32_t>(heads * 1000 + n * 31 + n_keys), true);
        const auto ref = run(c, Isa::kScalar);
        for (Isa isa : {Isa::kAvx2, Isa::kAvx512}) {
          if (!isa_available(isa)) continue;
          EXPECT_EQ(run(c, isa), ref) << isa_name(isa) << " heads=" << heads << " n=" << n << " keys=" << n_keys;
        }
      }
    }
  }
}

TEST(F16Accum, ReferenceIsTheWeightedSumOfValues) {
  const SumCase c = make_case(2, 64, 40, 7, false);
  const auto acc = run(c, Isa::kScalar);
  for (int64_t h = 0; h < c.n_heads; ++h) {
    for (int64_t i = 0; i < c.n; ++i) {
      double want = 0.25 + 0.01 * static_cast<double>((h * c.n + i) % 7);
      for (int64_t j = 0; j < c.n_keys; ++j) want += c.weight[h * c.n_keys + j] * fp16_to_fp32(c.v[j * c.stride + i]);
      // F16 keeps 11 significant bits; 40 roundings of a sum of magnitude <= ~10.
      EXPECT_NEAR(fp16_to_fp32(acc[h * c.n + i]), want, 0.05) << h << "," << i;
    }
  }
}

TEST(F16Accum, RescaleMultipliesWhatWasSummedBefore) {
  SumCase c = make_case(1, 16, 2, 3, false);
  c.rescale[1] = 0.5f;
  const auto acc = run(c, Isa::kScalar);
  for (int64_t i = 0; i < c.n; ++i) {
    const double first = 0.25 + 0.01 * static_cast<double>(i % 7) + c.weight[0] * fp16_to_fp32(c.v[i]);
    const double want = first * 0.5 + c.weight[1] * fp16_to_fp32(c.v[c.stride + i]);
    EXPECT_NEAR(fp16_to_fp32(acc[i]), want, 4e-3) << i;
  }
}

TEST(F16Accum, ScoresMatchF64OnEveryIsa) {
  for (Isa isa : {Isa::kScalar, Isa::kAvx2, Isa::kAvx512}) {
    if (!isa_available(isa)) continue;
    set_isa(isa);
    for (int64_t heads : {1, 4, 5, 8}) {
      for (int64_t n : {1, 8, 15, 64, 100, 128}) {
        const int64_t n_keys = 19, stride = n + 5;
        const auto kf = testing::random_floats(static_cast<size_t>(n_keys * stride), static_cast<uint32_t>(n));
        std::vector<uint16_t> k;
        for (float f : kf) k.push_back(fp32_to_fp16(f));
        const auto q = testing::random_floats(static_cast<size_t>(heads * n), static_cast<uint32_t>(heads + n));
        std::vector<float> scores(static_cast<size_t>(heads * n_keys));
        scores_f16(heads, q.data(), k.data(), stride, n_keys, n, 0.125f, scores.data());
        for (int64_t h = 0; h < heads; ++h) {
          for (int64_t j = 0; j < n_keys; ++j) {
            double want = 0, nk = 0, nq = 0;
            for (int64_t i = 0; i < n; ++i) {
              const double kv = fp16_to_fp32(k[j * stride + i]), qv = q[h * n + i];
              want += kv * qv;
              nk += kv * kv;
              nq += qv * qv;
            }
            EXPECT_NEAR(scores[h * n_keys + j], 0.125 * want, 0.125 * kScoreTol * std::sqrt(nk * nq))
                << isa_name(isa) << " heads=" << heads << " n=" << n << " h=" << h << " j=" << j;
          }
        }
      }
    }
  }
  set_isa(detected_isa());
}

}  // namespace
}  // namespace cellar::kernels
