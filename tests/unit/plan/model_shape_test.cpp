// Parameter counts, KV cache sizes and per-tensor quantization recipes,
// checked against numbers computed by hand from the published shapes.
#include <gtest/gtest.h>

#include <map>

#include "plan/catalog.h"
#include "plan/data_dir.h"
#include "plan/model_shape.h"
#include "plan/quant_recipe.h"

namespace cellar::plan {
namespace {

std::map<std::string, GgmlType> types_of(const ModelShape& s, FileType f) {
  std::map<std::string, GgmlType> out;
  for (const auto& p : plan_tensor_types(s, f)) out[p.tensor.name] = p.type;
  return out;
}

ModelShape llama3_8b() {
  ModelShape s;
  s.name = "llama-3-8b";
  s.n_layer = 32;
  s.n_embd = 4096;
  s.n_head = 32;
  s.n_head_kv = 8;
  s.head_dim = 128;
  s.n_ff = 14336;
  s.n_vocab = 128256;
  s.n_ctx_train = 8192;
  return s;
}

TEST(ModelShape, Llama3_8bHasItsPublishedParameterCount) {
  // embeddings + output: 2 x 128256 x 4096 = 1,050,673,152
  // per layer: q,o 2 x 4096^2 + k,v 2 x 4096 x 1024 + ffn 3 x 4096 x 14336
  //            + 2 norms x 4096 = 218,112,000; x 32 = 6,979,584,000
  // final norm 4096.
  EXPECT_EQ(parameter_count(llama3_8b()), 8'030'261'248);
}

TEST(ModelShape, TiedEmbeddingsDropTheOutputMatrix) {
  auto s = llama3_8b();
  const int64_t untied = parameter_count(s);
  s.tied_embeddings = true;
  EXPECT_EQ(untied - parameter_count(s), int64_t{128256} * 4096);
}

TEST(ModelShape, KvCacheOfOneLlama3SequenceAt8kIsOneGiB) {
  // 32 layers x 2 x 8 KV heads x 128 x 8192 tokens x 2 bytes (F16).
  EXPECT_EQ(kv_cache_bytes_per_sequence(llama3_8b(), 8192, 2.0), uint64_t{1} << 30);
  EXPECT_EQ(kv_cache_bytes_per_sequence(llama3_8b(), 4096, 2.0), uint64_t{1} << 29);
}

TEST(QuantRecipe, F16StoresMatricesAtTwoBytesAndNormsAtFour) {
  const auto s = llama3_8b();
  const int64_t norms = 4096 * (2 * 32 + 1);
  const uint64_t expect = static_cast<uint64_t>(parameter_count(s) - norms) * 2 + norms * 4;
  EXPECT_EQ(weights_bytes(s, FileType::F16), expect);
}

TEST(QuantRecipe, Q8_0IsUniform34BytesPer32Weights) {
  const auto s = llama3_8b();
  const int64_t norms = 4096 * (2 * 32 + 1);
  const uint64_t expect = static_cast<uint64_t>(parameter_count(s) - norms) / 32 * 34 + norms * 4;
  EXPECT_EQ(weights_bytes(s, FileType::Q8_0), expect);
}

TEST(QuantRecipe, Q4_K_MFollowsLlamaCppLayerByLayer) {
  // use_more_bits(i, 32): i < 4, i >= 28, or (i - 4) % 3 == 2 -> 16 layers
  // whose attn_v and ffn_down are Q6_K; output is Q6_K; the rest Q4_K.
  auto types = types_of(llama3_8b(), FileType::Q4_K_M);
  int q6_down = 0, q6_v = 0;
  for (const auto& [name, type] : types) {
    if (name.find("ffn_down") != std::string::npos && type == GgmlType::Q6_K) ++q6_down;
    if (name.find("attn_v") != std::string::npos && type == GgmlType::Q6_K) ++q6_v;
  }
  EXPECT_EQ(types.at("output.weight"), GgmlType::Q6_K);
  EXPECT_EQ(types.at("token_embd.weight"), GgmlType::Q4_K);
  EXPECT_EQ(types.at("blk.6.ffn_down.weight"), GgmlType::Q6_K);
  EXPECT_EQ(types.at("blk.5.ffn_down.weight"), GgmlType::Q4_K);
  EXPECT_EQ(types.at("blk.0.attn_norm.weight"), GgmlType::F32);
  EXPECT_EQ(q6_down, 16);
  EXPECT_EQ(q6_v, 16);
  // Sum by hand: 32 layers all-Q4_K 122,683,392 B each; 16 layers add
  // 1,081,344 (attn_v) + 15,138,816 (ffn_down) for Q6_K; norms 32,768 B
  // per layer; token_embd Q4_K 295,501,824; output Q6_K 430,940,160;
  // output_norm 16,384. Real Meta-Llama-3-8B Q4_K_M files hold the same.
  EXPECT_EQ(weights_bytes(llama3_8b(), FileType::Q4_K_M), 4'912'898'048u);
}

TEST(QuantRecipe, TiedEmbeddingGetsTheOutputType) {
  auto s = llama3_8b();
  s.tied_embeddings = true;
  EXPECT_EQ(types_of(s, FileType::Q4_K_M).at("token_embd.weight"), GgmlType::Q6_K);
}

TEST(QuantRecipe, RowsTheKQuantBlockCannotTileFallBack) {
  // Qwen2.5-0.5B: 896-wide rows are not a multiple of 256.
  ModelShape s = llama3_8b();
  s.arch = "qwen2";
  s.n_layer = 24;
  s.n_embd = 896;
  s.n_head = 14;
  s.n_head_kv = 2;
  s.head_dim = 64;
  s.n_ff = 4864;
  s.n_vocab = 151936;
  s.tied_embeddings = true;
  s.qkv_bias = true;
  auto types = types_of(s, FileType::Q4_K_M);
  EXPECT_EQ(types.at("blk.1.attn_q.weight"), GgmlType::Q5_0);
  EXPECT_EQ(types.at("blk.0.attn_v.weight"), GgmlType::Q8_0);
  EXPECT_EQ(types.at("blk.4.ffn_down.weight"), GgmlType::Q4_K);  // 4864 = 19 x 256
  EXPECT_EQ(types.at("blk.1.ffn_down.weight"), GgmlType::Q6_K);  // use_more_bits layer
  EXPECT_EQ(types.at("token_embd.weight"), GgmlType::Q8_0);
  EXPECT_EQ(types.at("blk.0.attn_q.bias"), GgmlType::F32);
}

TEST(QuantRecipe, SeventyBillionModelsBumpAttnV) {
  ModelShape s = llama3_8b();
  s.n_layer = 80;
  s.n_embd = 8192;
  s.n_head = 64;
  s.n_ff = 28672;
  auto types = types_of(s, FileType::Q4_K_M);
  EXPECT_EQ(types.at("blk.11.attn_v.weight"), GgmlType::Q5_K);
  EXPECT_EQ(types.at("blk.0.attn_v.weight"), GgmlType::Q6_K);
}

TEST(QuantRecipe, UnknownFileTypeSuggestsNearest) {
  try {
    file_type_from_name("Q4_KM");
    FAIL() << "expected CatalogError";
  } catch (const CatalogError& e) {
    EXPECT_NE(std::string(e.what()).find("Q4_K_M"), std::string::npos) << e.what();
  }
  EXPECT_EQ(file_type_from_name("q4_k_m"), FileType::Q4_K_M);
}

TEST(ShippedCatalogue, EveryModelShapeIsConsistent) {
  auto catalog = load_catalog(find_data_dir(), {});
  ASSERT_GE(catalog.models.size(), 16u);
  const auto& m = catalog.model_named("llama-3-8b");
  EXPECT_EQ(parameter_count(shape_from_spec(m)), 8'030'261'248);
  // Qwen2.5-7B: 7.62 B parameters per its model card.
  const auto q7 = shape_from_spec(catalog.model_named("qwen2.5-7b"));
  EXPECT_NEAR(static_cast<double>(parameter_count(q7)) / 1e9, 7.62, 0.01);
  // Llama 3.2 1B (tied): 1.24 B; TinyLlama: 1.10 B.
  EXPECT_NEAR(parameter_count(shape_from_spec(catalog.model_named("llama-3.2-1b"))) / 1e9, 1.24, 0.01);
  EXPECT_NEAR(parameter_count(shape_from_spec(catalog.model_named("tinyllama-1.1b"))) / 1e9, 1.10, 0.01);
  // Llama 3 70B: 70.55 B.
  EXPECT_NEAR(parameter_count(shape_from_spec(catalog.model_named("llama-3-70b"))) / 1e9, 70.55, 0.01);
}

}  // namespace
}  // namespace cellar::plan
