// Replays tests/fuzz/corpus/guard/ (fuzz seeds and every crash the fuzzer
// ever found) through the guard in the ordinary build, so a regression shows
// up in `make test` without clang or libFuzzer.
#include <gtest/gtest.h>

#include <filesystem>

#include "guard/canary.h"
#include "guard/injection.h"
#include "guard/pii.h"
#include "support/test_support.h"

namespace cellar::guard {
namespace {

TEST(GuardFuzzCorpus, EveryInputKeepsInvariants) {
  auto dir = std::filesystem::path(CELLAR_SOURCE_DIR) / "tests" / "fuzz" / "corpus" / "guard";
  ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
  size_t n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::string text = test::read_file(entry.path());
    auto r = detect_injection(text);
    EXPECT_GE(r.score, 0.0) << entry.path();
    EXPECT_LE(r.score, 1.0) << entry.path();
    auto red = redact_pii(text);
    for (const auto& f : red.findings) EXPECT_LE(f.end, text.size()) << entry.path();
    auto leak = check_output_leak(text.substr(text.size() / 2), text.substr(0, text.size() / 2), "c4n4ry");
    for (const auto& s : leak.spans) EXPECT_LE(s.end, text.size() - text.size() / 2) << entry.path();
    ++n;
  }
  EXPECT_GE(n, 4u);
}

}  // namespace
}  // namespace cellar::guard
