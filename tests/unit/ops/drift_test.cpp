#include "ops/drift.h"

#include <gtest/gtest.h>

#include "fake_servers.h"
#include "ops/probe_job.h"
#include "support/test_support.h"

namespace cellar::ops {
namespace {

using test::FakeOpenAi;

TEST(Drift, SimilarityIsNormalisedEditDistance) {
  EXPECT_DOUBLE_EQ(answer_similarity("Paris", "Paris"), 1.0);
  EXPECT_DOUBLE_EQ(answer_similarity("The  capital\nis Paris.", "the capital is paris."), 1.0);
  EXPECT_DOUBLE_EQ(answer_similarity("abcd", "abce"), 0.75);
  EXPECT_DOUBLE_EQ(answer_similarity("", ""), 1.0);
  EXPECT_DOUBLE_EQ(answer_similarity("abc", ""), 0.0);
  EXPECT_DOUBLE_EQ(answer_similarity("größe", "grösse"), 1.0 - 2.0 / 6.0);  // counts code points
}

QuestionResult answered(const std::string& id, const std::string& text, double latency) {
  QuestionResult r;
  r.question_id = id;
  r.deployment = "assistant";
  r.model_version = "v1";
  r.reached = true;
  r.passed = true;
  r.answer.text = text;
  r.answer.latency_ms = latency;
  return r;
}

TEST(Drift, FlagsChangedAnswersAndSlowAnswers) {
  BaselineStore store;
  ProbeRun base{"s", {answered("a", "The capital of France is Paris.", 100),
                      answered("b", "42", 100)}};
  EXPECT_EQ(store.record(base), 2u);

  ProbeRun now{"s", {answered("a", "Life is a question without an answer, my friend.", 120),
                     answered("b", "42", 250)}};
  auto summary = apply_drift(now, store, DriftOptions{});
  EXPECT_EQ(summary.compared, 2u);
  EXPECT_EQ(summary.drifted, 1u);
  EXPECT_EQ(summary.slow, 1u);
  EXPECT_FALSE(now.results[0].passed);
  EXPECT_LT(*now.results[0].drift_score, 0.8);
  EXPECT_NE(now.results[0].reason.find("drift"), std::string::npos);
  EXPECT_DOUBLE_EQ(*now.results[1].drift_score, 1.0);
  EXPECT_FALSE(now.results[1].passed);
  EXPECT_NE(now.results[1].reason.find("latency regression"), std::string::npos) << now.results[1].reason;
}

TEST(Drift, MillisecondJitterIsNotALatencyRegression) {
  BaselineStore store;
  store.record(ProbeRun{"s", {answered("a", "x", 1)}});
  ProbeRun now{"s", {answered("a", "x", 3)}};  // 3x a 1 ms baseline, but only 2 ms slower
  auto summary = apply_drift(now, store, DriftOptions{});
  EXPECT_EQ(summary.slow, 0u);
  EXPECT_TRUE(now.results[0].passed);
}

TEST(Drift, ComparesOnlyWithTheSameModelVersion) {
  BaselineStore store;
  store.record(ProbeRun{"s", {answered("a", "x", 10)}});
  ProbeRun now{"s", {answered("a", "something else entirely", 10)}};
  now.results[0].model_version = "v2";
  auto summary = apply_drift(now, store, DriftOptions{});
  EXPECT_EQ(summary.without_baseline, 1u);
  EXPECT_TRUE(now.results[0].passed);
  EXPECT_FALSE(now.results[0].drift_score.has_value());
}

TEST(Drift, SwappedModelBehindTheSameVersionIsFlaggedEndToEnd) {
  FakeOpenAi server;
  std::string answer = "The capital of France is Paris.";
  server.answer = [&](const nlohmann::json&) { return FakeOpenAi::Reply{answer}; };
  cellar::test::TempDir dir;
  GoldenSuite suite{"s", "s.yaml", {Question{"capital", "Capital?", "", "assistant", 16, {}}}};
  ProbeJobOptions o;
  o.url = server.url();
  o.baseline = dir / "baseline.json";
  o.csv = dir / "health.csv";
  o.record_baseline = true;
  EXPECT_EQ(ProbeJob(suite, o).run_once().baseline_recorded, 1u);

  o.record_baseline = false;
  auto same = ProbeJob(suite, o).run_once();
  EXPECT_TRUE(same.run.all_passed());
  EXPECT_DOUBLE_EQ(*same.run.results[0].drift_score, 1.0);

  answer = "Philosophy asks whether capitals exist at all.";  // a different model file, same version tag
  auto swapped = ProbeJob(suite, o).run_once();
  EXPECT_FALSE(swapped.run.all_passed());
  EXPECT_EQ(swapped.drift->drifted, 1u);
  EXPECT_LT(*swapped.run.results[0].drift_score, 0.5);
}

TEST(Drift, BaselineFileRoundTripsAndCapsLatencySamples) {
  cellar::test::TempDir dir;
  BaselineStore store;
  for (int i = 0; i < 30; ++i) store.record(ProbeRun{"s", {answered("a", "x", i)}});
  store.save(dir / "b.json");
  auto back = BaselineStore::load(dir / "b.json").find("assistant", "v1", "a");
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->answer, "x");
  EXPECT_EQ(back->latencies_ms.size(), kMaxLatencySamples);
  EXPECT_EQ(back->latencies_ms.back(), 29);
  std::ofstream(dir / "bad.json") << "{}";
  EXPECT_THROW(BaselineStore::load(dir / "bad.json"), std::runtime_error);
}

}  // namespace
}  // namespace cellar::ops
