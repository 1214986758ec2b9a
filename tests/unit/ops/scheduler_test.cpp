#include <gtest/gtest.h>

#include <fstream>

#include "ops/duration.h"
#include "ops/integrity_verifier.h"
#include "ops/probe_scheduler.h"
#include "support/test_support.h"

namespace cellar::ops {
namespace {

using namespace std::chrono_literals;

TEST(Duration, ParsesUnits) {
  EXPECT_EQ(parse_duration("90s"), 90s);
  EXPECT_EQ(parse_duration("1h"), 3600s);
  EXPECT_EQ(parse_duration("1h30m"), 5400s);
  EXPECT_EQ(parse_duration("2d"), 172800s);
  for (const char* bad : {"", "h", "10", "5x", "0s", "-1m"}) EXPECT_THROW(parse_duration(bad), std::invalid_argument) << bad;
}

TEST(ProbeScheduler, RunsRepeatedlyAndStopsPromptly) {
  std::atomic<int> runs{0};
  std::vector<std::string> errors;
  ProbeScheduler s(
      20ms,
      [&] {
        if (++runs == 2) throw std::runtime_error("server down");
      },
      [&](const std::string& e) { errors.push_back(e); });
  s.start();
  while (runs < 3) std::this_thread::sleep_for(1ms);
  s.stop();
  int at_stop = runs;
  std::this_thread::sleep_for(60ms);
  EXPECT_EQ(runs, at_stop);
  EXPECT_EQ(errors, std::vector<std::string>{"server down"});  // a failing run does not end the schedule
}

TEST(ProbeScheduler, StopDuringALongWaitDoesNotWaitItOut) {
  int runs = 0;
  ProbeScheduler s(std::chrono::hours(1), [&] { ++runs; });
  s.start();
  while (s.runs() < 1) std::this_thread::sleep_for(1ms);
  auto t0 = std::chrono::steady_clock::now();
  s.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
  EXPECT_EQ(runs, 1);
}

TEST(Integrity, Sha256MatchesKnownVector) {
  cellar::test::TempDir dir;
  std::ofstream(dir / "abc") << "abc";
  EXPECT_EQ(sha256_file(dir / "abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_file(dir / "abc", 1e9, 1), sha256_file(dir / "abc"));  // chunking does not change it
  EXPECT_THROW(sha256_file(dir / "missing"), std::runtime_error);
}

TEST(Integrity, ReportsMismatchAfterTheFileChanges) {
  cellar::test::TempDir dir;
  auto blob = dir / "model.gguf";
  std::ofstream(blob) << "weights v1";
  std::string good = sha256_file(blob);
  std::vector<IntegrityResult> seen;
  std::mutex mu;
  IntegrityOptions o;
  o.interval = 10ms;
  IntegrityVerifier v({{"llama", blob, good}}, o, [&](const IntegrityResult& r) {
    std::lock_guard lock(mu);
    seen.push_back(r);
  });
  auto now = v.verify_now();
  ASSERT_EQ(now.size(), 1u);
  EXPECT_TRUE(now[0].ok);

  std::ofstream(blob) << "weights v1 with a flipped bit";
  v.start();
  for (int i = 0; i < 500; ++i) {
    {
      std::lock_guard lock(mu);
      if (seen.size() >= 2) break;
    }
    std::this_thread::sleep_for(2ms);
  }
  v.stop();
  std::lock_guard lock(mu);
  ASSERT_GE(seen.size(), 2u);
  EXPECT_FALSE(seen[1].ok);
  EXPECT_EQ(seen[1].target.name, "llama");
  EXPECT_NE(seen[1].actual, good);
}

TEST(Integrity, MissingFileIsReportedNotThrown) {
  IntegrityVerifier v({{"gone", "/nonexistent/blob", "00"}}, IntegrityOptions{}, nullptr);
  auto r = v.verify_now();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_FALSE(r[0].ok);
  EXPECT_NE(r[0].error.find("cannot open"), std::string::npos);
}

}  // namespace
}  // namespace cellar::ops
