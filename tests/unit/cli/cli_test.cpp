// The `cellar` binary: outputs of the engine subcommands and a one-line error
// with a non-zero exit for every bad input.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>

#include "support/test_support.h"

namespace cellar {
namespace {

struct CliRun {
  int code;
  std::string out;
};

// Runs `cellar ARGS` through the shell; `merge` adds stderr to the captured
// output; a non-empty `isa` sets CELLAR_ISA.
CliRun cellar(const std::string& args, bool merge = true, const std::string& isa = "") {
  std::string cmd = (isa.empty() ? "" : "CELLAR_ISA=" + isa + " ") + test::cellar_binary().string() + " " + args +
                    (merge ? " 2>&1" : " 2>/dev/null");
  FILE* p = ::popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(test::cellar_binary())) GTEST_SKIP() << "cellar binary not built";
  }
  test::TempDir dir_;
};

TEST_F(CliTest, BadInputsGiveOneLineErrors) {
  for (const std::string& args :
       {std::string("generate -m /nonexistent.gguf -p hi"), std::string("inspect /etc/hostname"),
        "synth --shape nope -o " + (dir_ / "x.gguf").string(),
        "synth --shape tiny --type Q9_9 -o " + (dir_ / "x.gguf").string(),
        std::string("quantize /nonexistent.gguf /tmp/o.gguf --type Q8_0"), std::string("no-such-command")}) {
    CliRun r = cellar(args);
    EXPECT_NE(r.code, 0) << args;
    EXPECT_FALSE(r.out.empty()) << args;
  }
  CliRun r = cellar("inspect /etc/hostname");
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  EXPECT_NE(r.out.find("cellar: error:"), std::string::npos);
}

TEST_F(CliTest, SynthInspectGenerateBench) {
  const std::string model = (dir_ / "tiny.gguf").string();
  ASSERT_EQ(cellar("synth --shape tiny --type Q4_0 -o " + model).code, 0);
  CliRun inspect = cellar("inspect --no-tensors " + model);
  EXPECT_EQ(inspect.code, 0);
  EXPECT_NE(inspect.out.find("llama.block_count"), std::string::npos);
  CliRun gen = cellar("generate -m " + model + " -p hello -n 4 --temp 0 -t 1", false);
  EXPECT_EQ(gen.code, 0);
  CliRun again = cellar("generate -m " + model + " -p hello -n 4 --temp 0 -t 1", false);
  EXPECT_EQ(gen.out, again.out) << "greedy output must be deterministic";
  CliRun too_long = cellar("generate -m " + model + " -p hello -n 100000");
  EXPECT_NE(too_long.code, 0);
  CliRun bench = cellar("bench -m " + model + " -p 8 -n 4 -r 1 --batch 2 -t 1 --read-probe-mib 8 --json", false);
  ASSERT_EQ(bench.code, 0) << bench.out;
  auto j = nlohmann::json::parse(bench.out);
  for (const char* key : {"prefill_tokens_per_s", "decode_tokens_per_s", "threads", "model_bytes",
                          "decode_bandwidth_gb_per_s", "cpu", "memory_read_gb_per_s", "decode_percent_of_read"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_GT(j["decode_tokens_per_s"].get<double>(), 0);
  EXPECT_EQ(j["memory_read_bytes"].get<uint64_t>(), 8u << 20);
  EXPECT_LE(j["memory_read_gb_per_s_min"].get<double>(), j["memory_read_gb_per_s"].get<double>());
  EXPECT_GE(j["memory_read_gb_per_s_max"].get<double>(), j["memory_read_gb_per_s"].get<double>());
  EXPECT_NEAR(j["decode_percent_of_read"].get<double>(),
              100 * j["decode_bandwidth_gb_per_s"].get<double>() / j["memory_read_gb_per_s"].get<double>(), 1e-6);
  CliRun no_probe = cellar("bench -m " + model + " -p 8 -n 4 -r 1 --batch 1 -t 1 --read-probe-mib 0 --json", false);
  ASSERT_EQ(no_probe.code, 0) << no_probe.out;
  EXPECT_FALSE(nlohmann::json::parse(no_probe.out).contains("memory_read_gb_per_s"));
  CliRun bad_probe = cellar("bench -m " + model + " --read-probe-mib -1");
  EXPECT_NE(bad_probe.code, 0);
  EXPECT_NE(bad_probe.out.find("--read-probe-mib"), std::string::npos) << bad_probe.out;
}

TEST_F(CliTest, GenerateOnReferenceModelPrintsTheExpectedStoryOnEveryIsa) {
  if (test::refdata_dir().empty()) GTEST_SKIP() << "reference data not found";
  const auto dir = test::refdata_dir() / "models";
  std::ifstream in(dir / "stories260K.greedy.jsonl");
  std::string line;
  std::getline(in, line);
  auto j = nlohmann::json::parse(line);
  // The fast paths must not change greedy outputs: each ISA the CPU has, through CELLAR_ISA.
  for (const char* isa : {"", "scalar", "avx2", "avx512"}) {
    if (*isa && cellar(std::string("inspect --cpu 2>&1 | grep -q '^  ") + isa + " *available'").code != 0) continue;
    CliRun r = cellar(std::string("generate -m ") + (dir / "stories260K.gguf").string() + " -p '" +
                          j["prompt"].get<std::string>() + "' -n 64 --temp 0 --ignore-eos -t 1",
                      false, isa);
    ASSERT_EQ(r.code, 0) << isa;
    EXPECT_EQ(r.out, j["generated_text"].get<std::string>() + "\n") << "CELLAR_ISA=" << isa;
  }
}

// Benchmark figures name the CPU they were measured on: family and model as
// the kernel decodes them in /proc/cpuinfo.
TEST_F(CliTest, InspectCpuNamesTheFamilyAndModelTheKernelReports) {
  std::ifstream in("/proc/cpuinfo");
  if (!in) GTEST_SKIP() << "no /proc/cpuinfo";
  std::string line, family, model;
  while (std::getline(in, line) && (family.empty() || model.empty())) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string key = line.substr(0, line.find_last_not_of(" \t", colon - 1) + 1);
    const std::string value = colon + 2 <= line.size() ? line.substr(colon + 2) : "";
    if (key == "cpu family") family = value;
    if (key == "model") model = value;
  }
  if (family.empty() || model.empty()) GTEST_SKIP() << "/proc/cpuinfo lists no family and model";
  CliRun r = cellar("inspect --cpu");
  ASSERT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("family " + family + ", model " + model + ")"), std::string::npos) << r.out;
}

TEST_F(CliTest, IsaOverrideAndKvTypeAreCheckedAtTheBoundary) {
  CliRun scalar = cellar("inspect --cpu", true, "scalar");
  EXPECT_EQ(scalar.code, 0);
  EXPECT_NE(scalar.out.find("kernels: scalar"), std::string::npos) << scalar.out;
  CliRun bogus = cellar("inspect --cpu", true, "sse9");
  EXPECT_NE(bogus.code, 0);
  EXPECT_NE(bogus.out.find("CELLAR_ISA must be scalar, avx2 or avx512"), std::string::npos) << bogus.out;
  const std::string model = (dir_ / "tiny.gguf").string();
  ASSERT_EQ(cellar("synth --shape tiny --type Q4_0 -o " + model).code, 0);
  CliRun q8 = cellar("generate -m " + model + " -p hello -n 4 --temp 0 -t 1 --kv-type q8_0", false);
  EXPECT_EQ(q8.code, 0);
  EXPECT_FALSE(q8.out.empty());
  CliRun bad = cellar("generate -m " + model + " -p hello -n 4 --kv-type q4_0");
  EXPECT_NE(bad.code, 0);
  EXPECT_NE(bad.out.find("--kv-type must be f16 or q8_0"), std::string::npos) << bad.out;
}

TEST_F(CliTest, LogitsMatchReferenceDump) {
  if (test::refdata_dir().empty()) GTEST_SKIP() << "reference data not found";
  const auto dir = test::refdata_dir() / "models";
  std::ifstream in(dir / "stories260K.greedy.jsonl");
  std::string line;
  std::getline(in, line);
  auto j = nlohmann::json::parse(line);
  const std::string out = (dir_ / "l.f32").string();
  ASSERT_EQ(cellar("logits -m " + (dir / "stories260K.gguf").string() + " -p '" + j["prompt"].get<std::string>() +
                   "' -o " + out + " -t 1")
                .code,
            0);
  std::string a = test::read_file(out), b = test::read_file(dir / "stories260K-logits" / "prompt0.f32");
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); i += 4) {
    float x, y;
    std::memcpy(&x, a.data() + i, 4);
    std::memcpy(&y, b.data() + i, 4);
    ASSERT_NEAR(x, y, 1e-3f);
  }
}

}  // namespace
}  // namespace cellar
