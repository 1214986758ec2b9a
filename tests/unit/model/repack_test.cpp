// Load-time x16 repacking (model/repack.h): the repacked model computes the
// same logits as the file's layout, and only the matrices it can run faster
// are repacked.
#include <gtest/gtest.h>

#include <cmath>

#include "kernels/kernels.h"
#include "model/context.h"
#include "model/synth.h"
#include "support/test_support.h"

namespace cellar {
namespace {

// Same integer block sums, different float summation order per row.
constexpr float kRepackLogitTol = 1e-3f;

std::vector<float> logits(std::shared_ptr<Model> model, const std::vector<int32_t>& prompt) {
  InferenceContext ctx(model, {.n_ctx = 32, .n_slots = 1, .n_threads = 2});
  std::vector<BatchToken> batch;
  for (size_t i = 0; i < prompt.size(); ++i) batch.push_back({prompt[i], 0, int32_t(i), true});
  auto l = ctx.forward(batch);
  return {l.begin(), l.end()};
}

class RepackByType : public ::testing::TestWithParam<const char*> {};

TEST_P(RepackByType, LogitsMatchTheFileLayout) {
  if (!kernels::isa_available(kernels::Isa::kAvx512)) GTEST_SKIP() << "x16 kernels need AVX-512 VNNI";
  kernels::set_isa(kernels::Isa::kAvx512);
  test::TempDir dir;
  const auto path = (dir / "m.gguf").string();
  write_synth_model({*find_shape("tiny"), *find_file_type(GetParam()), 3, 1}, path);
  auto plain = Model::load(path, {.repack = false});
  auto packed = Model::load(path, {.repack = true});
  EXPECT_EQ(plain->repacked_matrices(), 0);
  // Every matrix of an x16 type: the Q4_K_M recipe mixes in Q6_K, which stays row-major.
  int expected = 0;
  auto count = [&](const TensorView& t) { expected += kernels::interleave_preferred(t.type) ? 1 : 0; };
  for (const auto& l : plain->weights().layers) {
    for (const TensorView* t : {&l.wq, &l.wk, &l.wv, &l.wo, &l.w_gate, &l.w_up, &l.w_down}) count(*t);
  }
  count(plain->weights().output);
  EXPECT_GE(expected, 7);
  EXPECT_EQ(packed->repacked_matrices(), expected);
  EXPECT_EQ(packed->weights().layers[0].wq.layout, kernels::Layout::kX16);
  const std::vector<int32_t> prompt = {1, 15, 99, 7, 300};
  const auto a = logits(plain, prompt), b = logits(packed, prompt);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) ASSERT_NEAR(a[i], b[i], kRepackLogitTol * (1 + std::fabs(a[i]))) << i;
  kernels::set_isa(kernels::detected_isa());
}

INSTANTIATE_TEST_SUITE_P(Types, RepackByType, ::testing::Values("Q4_0", "Q8_0", "Q4_K_M", "Q5_K_M"));

TEST(Repack, NothingWithoutANativeKernel) {
  kernels::set_isa(kernels::Isa::kScalar);
  test::TempDir dir;
  const auto path = (dir / "m.gguf").string();
  write_synth_model({*find_shape("tiny"), *find_file_type("Q4_0"), 3, 1}, path);
  EXPECT_EQ(Model::load(path)->repacked_matrices(), 0);
  kernels::set_isa(kernels::detected_isa());
}

}  // namespace
}  // namespace cellar
