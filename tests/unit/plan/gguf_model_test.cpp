// Reading a model's shape and real weight bytes from a GGUF header written by
// the test itself, and calibrating speed from `cellar bench` output.
#include <gtest/gtest.h>

#include "gguf/gguf_writer.h"
#include "plan/calibration.h"
#include "plan/data_dir.h"
#include "plan/gguf_model.h"
#include "plan/planner.h"
#include "plan/quant_recipe.h"
#include "support/test_support.h"

namespace cellar::plan {
namespace {

ModelShape tiny_shape() {
  ModelShape s;
  s.name = "tiny";
  s.n_layer = 4;
  s.n_embd = 256;
  s.n_head = 4;
  s.n_head_kv = 2;
  s.head_dim = 64;
  s.n_ff = 512;
  s.n_vocab = 300;
  s.n_ctx_train = 2048;
  return s;
}

// A GGUF with the tensors llama.cpp's recipe gives `shape` at `ftype`.
std::string write_tiny(const test::TempDir& dir, const ModelShape& s, FileType ftype,
                       bool with_kv_heads = true) {
  GgufWriter w;
  w.set_string("general.architecture", "llama");
  w.set_string("general.name", s.name);
  w.set_u32("llama.block_count", s.n_layer);
  w.set_u32("llama.embedding_length", s.n_embd);
  w.set_u32("llama.attention.head_count", s.n_head);
  if (with_kv_heads) w.set_u32("llama.attention.head_count_kv", s.n_head_kv);
  w.set_u32("llama.feed_forward_length", s.n_ff);
  w.set_u32("llama.context_length", s.n_ctx_train);
  std::vector<std::string> tokens;
  for (int i = 0; i < s.n_vocab; ++i) tokens.push_back(std::to_string(i));
  w.set_string_array("tokenizer.ggml.tokens", tokens);
  for (const auto& p : plan_tensor_types(s, ftype)) {
    std::vector<int64_t> dims = {p.tensor.ne0};
    if (p.tensor.is_matrix()) dims.push_back(p.tensor.ne1);
    w.add_tensor(p.tensor.name, p.type, dims, [](uint8_t* dst, size_t n) { std::fill_n(dst, n, 0); });
  }
  auto path = (dir / "tiny.gguf").string();
  w.write(path);
  return path;
}

TEST(GgufModel, ReadsShapeAndExactWeightBytesFromTheHeader) {
  test::TempDir dir;
  const auto s = tiny_shape();
  auto catalog = load_catalog(find_data_dir(), {});
  auto m = model_from_gguf(write_tiny(dir, s, FileType::Q4_K_M), catalog);
  EXPECT_EQ(m.shape.n_layer, 4);
  EXPECT_EQ(m.shape.n_embd, 256);
  EXPECT_EQ(m.shape.n_head, 4);
  EXPECT_EQ(m.shape.n_head_kv, 2);
  EXPECT_EQ(m.shape.head_dim, 64);
  EXPECT_EQ(m.shape.n_ff, 512);
  EXPECT_EQ(m.shape.n_vocab, 300);
  EXPECT_EQ(m.shape.n_ctx_train, 2048);
  EXPECT_FALSE(m.shape.tied_embeddings);
  EXPECT_EQ(m.parameters, parameter_count(s));
  // The recipe estimate and the file agree to the byte.
  EXPECT_EQ(m.weights_bytes, weights_bytes(s, FileType::Q4_K_M));
  EXPECT_NE(m.quant.find("Q4_K"), std::string::npos) << m.quant;
  EXPECT_NE(m.quant.find("Q6_K"), std::string::npos) << m.quant;
}

TEST(GgufModel, PlansFromAFileLikeFromTheCatalogue) {
  test::TempDir dir;
  auto catalog = load_catalog(find_data_dir(), {});
  auto m = model_from_gguf(write_tiny(dir, tiny_shape(), FileType::Q8_0), catalog);
  PlanOptions o;
  o.ctx = 1024;
  o.hardware = {"rtx-4090"};
  auto p = make_plan(catalog, m, o);
  // 4 layers x 2 x 2 KV heads x 64 x 1024 x 2 bytes.
  EXPECT_EQ(p.memory.kv_cache_bytes, 4ull * 2 * 2 * 64 * 1024 * 2);
  EXPECT_TRUE(p.hardware[0].fits);
}

TEST(GgufModel, MissingShapeKeyIsNamed) {
  test::TempDir dir;
  GgufWriter w;
  w.set_string("general.architecture", "llama");
  w.set_u32("llama.block_count", 2);
  auto path = (dir / "broken.gguf").string();
  w.write(path);
  auto catalog = load_catalog(find_data_dir(), {});
  try {
    model_from_gguf(path, catalog);
    FAIL() << "expected CatalogError";
  } catch (const CatalogError& e) {
    EXPECT_NE(std::string(e.what()).find("llama.embedding_length"), std::string::npos) << e.what();
  }
}

TEST(GgufModel, HeadCountKvDefaultsToHeadCount) {
  test::TempDir dir;
  auto s = tiny_shape();
  s.n_head_kv = s.n_head;
  auto catalog = load_catalog(find_data_dir(), {});
  auto m = model_from_gguf(write_tiny(dir, s, FileType::F16, false), catalog);
  EXPECT_EQ(m.shape.n_head_kv, 4);
}

HardwareSpec this_machine() {
  HardwareSpec h;
  h.name = "here";
  h.bandwidth_gb_per_s = 100;
  h.fp16_tflops = 2;
  return h;
}

TEST(Calibration, EfficienciesAreMeasuredOverPeak) {
  auto b = parse_bench_json(R"({"prefill_tokens_per_s": 50, "decode_tokens_per_s": 10,
                                "model_bytes": 4e9, "decode_bandwidth_gb_per_s": 40})");
  PlanOptions o;
  calibrate_from_bench(b, this_machine(), 8'000'000'000, o);
  EXPECT_TRUE(o.efficiency_measured);
  EXPECT_DOUBLE_EQ(o.decode_efficiency, 0.4);           // 40 of 100 GB/s
  EXPECT_DOUBLE_EQ(o.prefill_efficiency, 50 * 16e9 / 2e12);  // 0.4
  EXPECT_NE(o.efficiency_note.find("calibrated on this machine (here)"), std::string::npos);
}

TEST(Calibration, BandwidthDerivesFromModelBytesWhenAbsent) {
  auto b = parse_bench_json(R"({"prefill_tokens_per_s": 50, "decode_tokens_per_s": 10, "model_bytes": 4e9})");
  EXPECT_DOUBLE_EQ(b.decode_bandwidth_gb_per_s, 40);
}

TEST(Calibration, BadBenchOutputIsAClearError) {
  EXPECT_THROW(parse_bench_json("not json"), std::invalid_argument);
  EXPECT_THROW(parse_bench_json(R"({"decode_tokens_per_s": 10})"), std::invalid_argument);
  EXPECT_THROW(parse_bench_json(R"({"prefill_tokens_per_s": -1, "decode_tokens_per_s": 1, "model_bytes": 1})"),
               std::invalid_argument);
}

TEST(Calibration, NeedsToKnowWhichMachineThisIs) {
  auto catalog = load_catalog(find_data_dir(), {});
  PlanOptions o;
  ModelInput m = model_from_catalog(catalog, "llama-3-8b", "Q4_K_M");
  try {
    apply_calibration(catalog, m, "llama-3-8b", "", "", o);
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("--this-machine"), std::string::npos) << e.what();
  }
  try {
    apply_calibration(catalog, m, "llama-3-8b", "", "laptop-ddr5-32gb", o);
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(".gguf"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace cellar::plan

namespace cellar::plan {
namespace {

TEST(GgufModel, RealStories260KMatchesTheRecipeEstimate) {
  CELLAR_REQUIRE_REFDATA();
  auto catalog = load_catalog(find_data_dir(), {});
  auto m = model_from_gguf((test::refdata_dir() / "models" / "stories260K.gguf").string(), catalog);
  EXPECT_EQ(m.shape.n_layer, 5);
  EXPECT_EQ(m.shape.n_embd, 64);
  EXPECT_EQ(m.shape.n_head, 8);
  EXPECT_EQ(m.shape.n_head_kv, 4);
  EXPECT_EQ(m.shape.head_dim, 8);
  EXPECT_EQ(m.shape.n_ff, 172);
  EXPECT_EQ(m.shape.n_vocab, 512);
  EXPECT_EQ(m.shape.n_ctx_train, 2048);
  // The file is all F32: the shape-derived count and bytes must agree exactly.
  EXPECT_EQ(m.parameters, parameter_count(m.shape));
  EXPECT_EQ(m.weights_bytes, weights_bytes(m.shape, FileType::F32));
}

}  // namespace
}  // namespace cellar::plan
