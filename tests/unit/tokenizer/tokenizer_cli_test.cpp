// `cellar tokenize` end to end through the built binary.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "support/test_support.h"

namespace cellar {
namespace {

struct RunResult {
  int status = -1;
  std::string out;
};

// Runs `args` (already shell-quoted) through the shell, stdout captured.
RunResult run(const std::string& args) {
  RunResult r;
  FILE* p = popen((test::cellar_binary().string() + " " + args + " 2>&1").c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  r.status = pclose(p);
  return r;
}

class TokenizeCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(test::cellar_binary())) GTEST_SKIP() << "cellar binary not built";
    CELLAR_REQUIRE_REFDATA();
    vocab_ = (test::refdata_dir() / "vocab" / "ggml-vocab-llama-spm.gguf").string();
  }
  std::string vocab_;
};

TEST_F(TokenizeCli, PrintsIdsWithBosByDefault) {
  const auto r = run("tokenize -m '" + vocab_ + "' 'Hello world'");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "1 15043 3186\n");
}

TEST_F(TokenizeCli, NoBosAndStdin) {
  test::TempDir dir;
  std::ofstream(dir / "in.txt") << "Hello world";
  const auto r = run("tokenize -m '" + vocab_ + "' --no-bos - < '" + (dir / "in.txt").string() + "'");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "15043 3186\n");
}

TEST_F(TokenizeCli, SpecialFlagParsesControlTokens) {
  EXPECT_EQ(run("tokenize -m '" + vocab_ + "' --no-bos --special '<s>'").out, "1\n");
  EXPECT_NE(run("tokenize -m '" + vocab_ + "' --no-bos '<s>'").out, "1\n");
}

TEST_F(TokenizeCli, BadFileIsOneLineError) {
  test::TempDir dir;
  std::ofstream(dir / "bad.gguf") << "not a gguf file";
  const auto r = run("tokenize -m '" + (dir / "bad.gguf").string() + "' hi");
  EXPECT_NE(r.status, 0);
  EXPECT_EQ(r.out.rfind("cellar: error: ", 0), 0u) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
}

}  // namespace
}  // namespace cellar
