// The two halves of attention over a Q8_0 KV cache: the F32 value sum must
// give the scalar reference's bits on every SIMD path and be the weighted
// sum of the dequantized values; scores must be the block-scaled integer dot
// products (checked in F64 from the quants) on every path.
#include "kernels/kv_q8.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "kernels/fp16.h"
#include "tests_kernels_util.h"

namespace cellar::kernels {
namespace {

constexpr double kQ8ScoreTol = 1e-6;  // relative to sum_b |d_q d_k| * |q_b| * |k_b| (float sums of exact integers)

// n_rows Q8_0 rows of n values, `stride` bytes apart (stride > the row's
// bytes, as a KV row holds every head).
std::vector<uint8_t> q8_rows(int64_t n_rows, int64_t n, int64_t stride, uint32_t seed) {
  std::vector<uint8_t> out(static_cast<size_t>(n_rows * stride), 0xAB);
  const auto x = testing::random_floats(static_cast<size_t>(n_rows * n), seed);
  for (int64_t r = 0; r < n_rows; ++r) quantize_row(GgmlType::Q8_0, x.data() + r * n, out.data() + r * stride, n);
  return out;
}

const BlockQ8_0* block(const std::vector<uint8_t>& rows, int64_t stride, int64_t r, int64_t b) {
  return reinterpret_cast<const BlockQ8_0*>(rows.data() + r * stride) + b;
}

struct Q8SumCase {
  std::vector<uint8_t> v;              // [n_keys][stride] bytes
  std::vector<float> weight, rescale;  // [n_heads][n_keys]
  int64_t n_heads, stride, n_keys, n;
};

Q8SumCase make_q8_case(int64_t n_heads, int64_t n, int64_t n_keys, uint32_t seed, bool rescales) {
  const int64_t stride = static_cast<int64_t>(ggml_row_size(GgmlType::Q8_0, n)) + 34 * 3;
  Q8SumCase c{q8_rows(n_keys, n, stride, seed), {}, {}, n_heads, stride, n_keys, n};
  const auto w = testing::random_floats(static_cast<size_t>(n_heads * n_keys), seed + 1);
  for (int64_t j = 0; j < n_heads * n_keys; ++j) {
    c.weight.push_back(std::exp(-std::fabs(w[j])));
    c.rescale.push_back(rescales && (j * 7 + j / n_keys) % 5 == 0 ? std::exp(-std::fabs(w[j]) - 0.1f) : 1.0f);
  }
  return c;
}

std::vector<float> run_q8(const Q8SumCase& c, Isa isa) {
  set_isa(isa);
  std::vector<float> acc(static_cast<size_t>(c.n_heads * c.n));
  for (size_t i = 0; i < acc.size(); ++i) acc[i] = 0.25f + 0.01f * static_cast<float>(i % 7);
  weighted_sum_q8_0(c.n_heads, acc.data(), c.v.data(), c.stride, c.weight.data(), c.rescale.data(), c.n_keys, c.n);
  set_isa(detected_isa());
  return acc;
}

TEST(KvQ8, ValueSumGivesTheScalarBitsOnEveryIsa) {
  for (int64_t heads : {1, 2, 3, 4, 5, 8}) {
    for (int64_t n : {32, 64, 96, 128, 160, 256}) {
      for (int64_t n_keys : {0, 1, 2, 37}) {
        const Q8SumCase c = make_q8_case(heads, n, n_keys, static_cast<uint32_t>(heads * 1000 + n * 31 + n_keys), true);
        const auto ref = run_q8(c, Isa::kScalar);
        for (Isa isa : {Isa::kAvx2, Isa::kAvx512}) {
          if (!isa_available(isa)) continue;
          const auto got = run_q8(c, isa);
          EXPECT_EQ(0, std::memcmp(got.data(), ref.data(), ref.size() * sizeof(float)))
              << isa_name(isa) << " heads=" << heads << " n=" << n << " keys=" << n_keys;
        }
      }
    }
  }
}

TEST(KvQ8, ValueSumIsTheWeightedSumOfDequantizedValues) {
  Q8SumCase c = make_q8_case(2, 64, 40, 7, false);
  c.rescale[c.n_keys + 3] = 0.5f;  // head 1 halves what it summed over keys 0..2
  const auto acc = run_q8(c, Isa::kScalar);
  std::vector<float> vf(static_cast<size_t>(c.n));
  for (int64_t h = 0; h < c.n_heads; ++h) {
    for (int64_t i = 0; i < c.n; ++i) {
      double want = 0.25 + 0.01 * static_cast<double>((h * c.n + i) % 7);
      for (int64_t j = 0; j < c.n_keys; ++j) {
        dequantize_row(GgmlType::Q8_0, c.v.data() + j * c.stride, vf.data(), c.n);
        want = want * c.rescale[h * c.n_keys + j] + c.weight[h * c.n_keys + j] * vf[i];
      }
      EXPECT_NEAR(acc[h * c.n + i], want, 1e-4) << h << "," << i;
    }
  }
}

TEST(KvQ8, ScoresAreBlockScaledIntegerDotsOnEveryIsa) {
  for (Isa isa : {Isa::kScalar, Isa::kAvx2, Isa::kAvx512}) {
    if (!isa_available(isa)) continue;
    set_isa(isa);
    for (int64_t heads : {1, 3, 4, 5, 8}) {
      for (int64_t n : {32, 64, 96, 128, 256, 640}) {
        const int64_t n_keys = 19, nb = n / 32;
        const int64_t stride = static_cast<int64_t>(ggml_row_size(GgmlType::Q8_0, n)) + 34;
        const auto k = q8_rows(n_keys, n, stride, static_cast<uint32_t>(n));
        const auto qrows = q8_rows(heads, n, nb * 34, static_cast<uint32_t>(heads + n));
        const auto* q = reinterpret_cast<const BlockQ8_0*>(qrows.data());
        std::vector<float> scores(static_cast<size_t>(heads * n_keys));
        scores_q8_0(heads, q, k.data(), stride, n_keys, n, 0.125f, scores.data());
        for (int64_t h = 0; h < heads; ++h) {
          for (int64_t j = 0; j < n_keys; ++j) {
            double want = 0, bound = 0;
            for (int64_t b = 0; b < nb; ++b) {
              const BlockQ8_0& qb = q[h * nb + b];
              const BlockQ8_0& kb = *block(k, stride, j, b);
              double isum = 0, mag = 0;
              for (int i = 0; i < 32; ++i) {
                isum += static_cast<double>(qb.qs[i]) * kb.qs[i];
                mag += std::fabs(static_cast<double>(qb.qs[i]) * kb.qs[i]);
              }
              const double d = static_cast<double>(fp16_to_fp32(qb.d)) * fp16_to_fp32(kb.d);
              want += d * isum;
              bound += std::fabs(d) * mag;
            }
            EXPECT_NEAR(scores[h * n_keys + j], 0.125 * want, 0.125 * kQ8ScoreTol * bound + 1e-30)
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
