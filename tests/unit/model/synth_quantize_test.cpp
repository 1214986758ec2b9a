// synth writes loadable models of the requested shape and recipe; quantize
// re-encodes them; both keep the model usable and close to the original.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "model/context.h"
#include "model/quantize.h"
#include "model/synth.h"
#include "support/test_support.h"

namespace cellar {
namespace {

std::vector<float> last_logits(const std::string& path, const std::vector<int32_t>& prompt) {
  auto model = Model::load(path);
  InferenceContext ctx(model, {.n_ctx = 64, .n_slots = 1, .n_threads = 1});
  std::vector<BatchToken> batch;
  for (size_t i = 0; i < prompt.size(); ++i) batch.push_back({prompt[i], 0, int32_t(i), i + 1 == prompt.size()});
  auto l = ctx.forward(batch);
  return {l.begin(), l.end()};
}

GgmlType type_of(const GgufFile& f, const std::string& name) { return f.find_tensor(name)->type; }

TEST(Synth, WritesTheRequestedShapeAndRecipe) {
  test::TempDir dir;
  const auto path = (dir / "m.gguf").string();
  write_synth_model({*find_shape("tiny"), *find_file_type("Q4_K_M"), 1, 1}, path);
  auto m = Model::load(path);
  EXPECT_EQ(m->hparams().n_embd, 256);
  EXPECT_EQ(m->hparams().n_layer, 2);
  EXPECT_EQ(m->hparams().n_head_kv, 2);
  const GgufFile& f = m->file();
  EXPECT_EQ(type_of(f, "output.weight"), GgmlType::Q6_K);
  EXPECT_EQ(type_of(f, "blk.0.attn_q.weight"), GgmlType::Q4_K);
  EXPECT_EQ(type_of(f, "blk.0.attn_v.weight"), GgmlType::Q4_K);
  EXPECT_EQ(type_of(f, "blk.1.attn_v.weight"), GgmlType::Q6_K);  // the last eighth of the layers gets more bits
  EXPECT_EQ(type_of(f, "blk.0.attn_output.weight"), GgmlType::Q4_K);
  EXPECT_EQ(type_of(f, "blk.0.attn_norm.weight"), GgmlType::F32);
  EXPECT_EQ(f.get_int("general.file_type"), 15);
}

TEST(Synth, SameSeedSameBytes) {
  test::TempDir dir;
  write_synth_model({*find_shape("tiny"), *find_file_type("Q8_0"), 5, 1}, (dir / "a.gguf").string());
  write_synth_model({*find_shape("tiny"), *find_file_type("Q8_0"), 5, 2}, (dir / "b.gguf").string());
  EXPECT_EQ(test::read_file(dir / "a.gguf"), test::read_file(dir / "b.gguf"));
}

TEST(QuantRecipe, FallsBackWhenRowsDoNotFitKQuants) {
  const FileType ft = *find_file_type("Q4_K_M");
  const RecipeModel qwen{24, 7, true}, tinyllama{22, 8, false};
  EXPECT_EQ(tensor_type_for(ft, "blk.3.attn_q.weight", qwen, 896), GgmlType::Q5_0);  // Qwen2.5-0.5B rows
  EXPECT_EQ(tensor_type_for(ft, "token_embd.weight", qwen, 896), GgmlType::Q8_0);   // tied: output rules
  EXPECT_EQ(tensor_type_for(*find_file_type("Q8_0"), "output.weight", qwen, 896), GgmlType::Q8_0);
  EXPECT_EQ(tensor_type_for(*find_file_type("Q4_0"), "output.weight", tinyllama, 2048), GgmlType::Q6_K);
  EXPECT_EQ(tensor_type_for(*find_file_type("Q4_0"), "token_embd.weight", tinyllama, 2048), GgmlType::Q4_0);
  EXPECT_EQ(tensor_type_for(*find_file_type("Q4_0"), "blk.0.attn_output.weight", tinyllama, 2048), GgmlType::Q4_0);
  EXPECT_FALSE(find_file_type("Q9_9"));
  EXPECT_TRUE(find_file_type("q4_k_m"));
}

TEST(Quantize, Q8_0KeepsLogitsCloseAndHalvesF16) {
  test::TempDir dir;
  const auto f16 = (dir / "f16.gguf").string(), q8 = (dir / "q8.gguf").string();
  write_synth_model({*find_shape("tiny"), *find_file_type("F16"), 3, 1}, f16);
  QuantizeStats st = quantize_model(f16, q8, *find_file_type("Q8_0"), 1);
  EXPECT_GT(st.tensors_requantized, 0);
  // Q8_0 stores 34 bytes per 32 weights vs F16's 64: about 53%.
  EXPECT_NEAR(static_cast<double>(st.bytes_out) / st.bytes_in, 34.0 / 64.0, 0.03);
  std::vector<int32_t> prompt = {1, 300, 301, 302, 40};
  auto a = last_logits(f16, prompt), b = last_logits(q8, prompt);
  ASSERT_EQ(a.size(), b.size());
  double num = 0, den = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    num += (a[i] - b[i]) * (a[i] - b[i]);
    den += a[i] * a[i];
  }
  EXPECT_LT(std::sqrt(num / den), 0.05) << "relative RMS error of logits after Q8_0";
}

TEST(Quantize, RejectsUnsupportedInput) {
  test::TempDir dir;
  EXPECT_THROW(quantize_model((dir / "missing.gguf").string(), (dir / "o.gguf").string(), *find_file_type("Q8_0"), 1),
               std::exception);
}

}  // namespace
}  // namespace cellar
