#include <gtest/gtest.h>

#include "ops/probe_metrics.h"
#include "ops/prometheus_text.h"

namespace cellar::ops {
namespace {

TEST(PrometheusText, FormatsFamiliesSamplesAndEscapes) {
  PrometheusText t;
  t.family("x_total", "counter", "Things.\nCounted.");
  t.sample("x_total", {{"a", "q\"u\\o\nte"}, {"b", "2"}}, 3);
  t.sample("x_total", {}, 0.25);
  EXPECT_EQ(t.str(),
            "# HELP x_total Things.\\nCounted.\n# TYPE x_total counter\n"
            "x_total{a=\"q\\\"u\\\\o\\nte\",b=\"2\"} 3\nx_total 0.25\n");
  EXPECT_EQ(format_metric_value(1.0 / 0.0), "+Inf");
  EXPECT_EQ(format_metric_value(0.1), "0.1");
}

TEST(GaugeFamily, SetEraseAndArity) {
  GaugeFamily g("cellar_integrity_mismatch", "1 when a blob changed.", {"model"});
  PrometheusText empty;
  g.render(empty);
  EXPECT_EQ(empty.str(), "");  // no samples, no family header
  g.set({"llama"}, 1);
  EXPECT_THROW(g.set({"a", "b"}, 1), std::invalid_argument);
  PrometheusText t;
  g.render(t);
  EXPECT_NE(t.str().find("cellar_integrity_mismatch{model=\"llama\"} 1\n"), std::string::npos);
  g.erase({"llama"});
  PrometheusText after;
  g.render(after);
  EXPECT_EQ(after.str(), "");
}

TEST(ProbeMetrics, ExposesPassedDriftAndLastSuccess) {
  ProbeMetrics m;
  QuestionResult ok;
  ok.question_id = "capital";
  ok.passed = true;
  ok.drift_score = 0.9;
  QuestionResult bad = ok;
  bad.question_id = "json";
  bad.passed = false;
  bad.drift_score.reset();
  m.update(ProbeRun{"daily", {ok, bad}});
  std::string text = m.render();
  EXPECT_NE(text.find("cellar_probe_passed{suite=\"daily\",question=\"capital\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("cellar_probe_passed{suite=\"daily\",question=\"json\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("cellar_probe_drift_score{suite=\"daily\",question=\"capital\"} 0.9\n"), std::string::npos);
  EXPECT_EQ(text.find("cellar_probe_last_success_timestamp_seconds"), std::string::npos);  // never all passed

  bad.passed = true;
  m.update(ProbeRun{"daily", {ok, bad}});
  EXPECT_NE(m.render().find("cellar_probe_last_success_timestamp_seconds{suite=\"daily\"} "), std::string::npos);
}

}  // namespace
}  // namespace cellar::ops
