// `cellar plan` end to end: exit codes, error messages a user can act on,
// JSON on stdout and the chart file.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "plan/data_dir.h"
#include "plan/gguf_model.h"
#include "plan/quant_recipe.h"
#include "support/test_support.h"

namespace cellar::plan {
namespace {

struct Run {
  int status = -1;
  std::string out;  // stdout and stderr together
};

Run run_cellar(const std::string& args) {
  Run r;
  const std::string cmd = test::cellar_binary().string() + " " + args + " 2>&1";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) return r;
  char buf[4096];
  while (size_t n = std::fread(buf, 1, sizeof buf, pipe)) r.out.append(buf, n);
  const int st = ::pclose(pipe);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

Run run_plan(const std::string& args) { return run_cellar("plan " + args); }

class PlanCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(test::cellar_binary())) GTEST_SKIP() << "cellar binary not built";
  }
};

TEST_F(PlanCli, JsonOutputParsesAndCarriesTheNumbers) {
  auto r = run_plan("--model llama-3-8b --quant Q4_K_M --ctx 8192 --users 20 --hardware l40s --json");
  ASSERT_EQ(r.status, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["memory"]["kv_cache_bytes"].get<uint64_t>(), uint64_t{20} << 30);
  EXPECT_EQ(j["hardware"][0]["name"], "l40s");
  EXPECT_TRUE(j["hardware"][0]["fits"].get<bool>());
}

TEST_F(PlanCli, NegativeUsersIsAClearError) {
  auto r = run_plan("--model llama-3-8b --users -4");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("cellar: error: --users must be at least 1"), std::string::npos) << r.out;
}

TEST_F(PlanCli, UnknownNamesSuggestTheNearest) {
  auto r = run_plan("--model qwen2.5-7 --hardware h100-sxm");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("did you mean: qwen2.5-7b"), std::string::npos) << r.out;
  r = run_plan("--model qwen2.5-7b --hardware h10-sxm");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("h100-sxm"), std::string::npos) << r.out;
}

TEST_F(PlanCli, ZeroBandwidthInAUserCatalogueIsRejected) {
  test::TempDir dir;
  std::ofstream(dir / "bad.yaml") << "hardware:\n  - name: x\n    kind: gpu\n    memory_gb: 8\n"
                                     "    bandwidth_gb_per_s: 0\n    fp16_tflops: 1\n    power_w: 1\n"
                                     "    price_usd: 1\n    source: s\n    date: d\n";
  auto r = run_plan("--model llama-3-8b --catalog " + (dir / "bad.yaml").string());
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("bandwidth_gb_per_s"), std::string::npos) << r.out;
}

TEST_F(PlanCli, ContextBeyondTrainingWarns) {
  auto r = run_plan("--model tinyllama-1.1b --ctx 4096 --hardware rtx-3090");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("warning: --ctx 4096 is beyond the 2048"), std::string::npos) << r.out;
}

TEST_F(PlanCli, ChartIsWritten) {
  test::TempDir dir;
  auto svg = dir / "cost.svg";
  auto r = run_plan("--model llama-3.2-3b --hardware laptop-ddr5-32gb --chart " + svg.string());
  ASSERT_EQ(r.status, 0) << r.out;
  auto text = test::read_file(svg);
  EXPECT_EQ(text.rfind("<?xml", 0), 0u);
  EXPECT_NE(text.find("</svg>"), std::string::npos);
}

TEST_F(PlanCli, CalibrateWithoutAModelFileSaysWhy) {
  auto r = run_plan("--model llama-3-8b --calibrate --this-machine laptop-ddr5-32gb");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("must be a .gguf file"), std::string::npos) << r.out;
}

// `cellar synth` writes random weights of a real shape; the planner's
// estimate for that shape and file type must land within 2% of the file's
// real tensor bytes, mixed recipes (Q4_K_M, Q3_K_M, ...) included.
TEST_F(PlanCli, EstimateMatchesSynthFilesOfTheSameShapeAndQuant) {
  test::TempDir dir;
  auto catalog = load_catalog(find_data_dir(), {});
  for (const char* shape : {"tiny", "tiny-qwen2"}) {
    for (const char* type : {"Q4_0", "Q4_K_M", "Q4_K_S", "Q5_K_M", "Q3_K_M", "Q2_K", "Q6_K", "Q8_0", "F16"}) {
      const auto path = (dir / (std::string(shape) + "-" + type + ".gguf")).string();
      auto r = run_cellar(std::string("synth --shape ") + shape + " --type " + type + " -t 1 -o " + path);
      ASSERT_EQ(r.status, 0) << r.out;
      auto m = model_from_gguf(path, catalog);
      const double real = static_cast<double>(m.weights_bytes);
      const double estimate = static_cast<double>(weights_bytes(m.shape, file_type_from_name(type)));
      EXPECT_NEAR(estimate, real, 0.02 * real) << shape << " " << type;
      EXPECT_LE(real, static_cast<double>(std::filesystem::file_size(path))) << shape << " " << type;
    }
  }
}

}  // namespace
}  // namespace cellar::plan
