#include "ops/health_csv.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>

#include "ops/csv.h"
#include "support/test_support.h"

namespace cellar::ops {
namespace {

const std::vector<std::string> kTricky = {"plain", "with,comma", "with \"quotes\"", "multi\nline", "", "crlf\r\nend",
                                          " spaced "};

ProbeRun tricky_run() {
  ProbeRun run{"s", {}};
  for (size_t i = 0; i < kTricky.size(); ++i) {
    QuestionResult r;
    r.question_id = "q" + std::to_string(i);
    r.deployment = "assist,ant";
    r.model_version = "v\"1\"";
    r.time = std::chrono::system_clock::time_point(std::chrono::seconds(1764150000));  // 2025-11-26
    r.answer = Answer{"", 12.5, 3.5, 7};
    r.passed = i % 2 == 0;
    r.reason = kTricky[i];
    if (i == 1) r.drift_score = 0.5;
    run.results.push_back(r);
  }
  return run;
}

TEST(Csv, QuotesOnlyWhatNeedsQuoting) {
  EXPECT_EQ(csv_record({"a", "b,c", "d\"e", ""}), "a,\"b,c\",\"d\"\"e\",\r\n");
  EXPECT_EQ(parse_csv("a,\"b,c\",\"d\"\"e\",\r\nx\n"),
            (std::vector<std::vector<std::string>>{{"a", "b,c", "d\"e", ""}, {"x"}}));
  EXPECT_THROW(parse_csv("\"open"), CsvError);
  EXPECT_THROW(parse_csv("\"a\"b"), CsvError);
}

TEST(HealthCsv, HeaderOnceThenRowsThatReadBack) {
  cellar::test::TempDir dir;
  auto file = dir / "health.csv";
  append_health_csv(file, tricky_run());
  append_health_csv(file, tricky_run());
  auto text = cellar::test::read_file(file);
  EXPECT_EQ(text.rfind("time,deployment,", 0), 0u);
  EXPECT_EQ(text.find("time,deployment,", 1), std::string::npos);  // header only once
  auto rows = read_health_csv(file);
  ASSERT_EQ(rows.size(), 2 * kTricky.size());
  for (size_t i = 0; i < kTricky.size(); ++i) {
    EXPECT_EQ(rows[i].reason, kTricky[i]);
    EXPECT_EQ(rows[i].deployment, "assist,ant");
    EXPECT_EQ(rows[i].model_version, "v\"1\"");
    EXPECT_EQ(rows[i].time, "2025-11-26T09:40:00Z");
    EXPECT_DOUBLE_EQ(rows[i].latency_ms, 12.5);
    EXPECT_DOUBLE_EQ(*rows[i].ttft_ms, 3.5);
    EXPECT_EQ(rows[i].tokens, 7);
    EXPECT_EQ(rows[i].passed, i % 2 == 0);
  }
  EXPECT_DOUBLE_EQ(*rows[1].drift_score, 0.5);
  EXPECT_FALSE(rows[0].drift_score.has_value());
}

// The file must read back identically with a standard CSV reader, not just ours.
TEST(HealthCsv, PythonCsvModuleReadsItBack) {
  // The system interpreter starts fastest; any python3 will do.
  std::string python = std::filesystem::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  if (std::system((python + " -c 'import csv, json' >/dev/null 2>&1").c_str()) != 0)
    GTEST_SKIP() << "python3 not found";
  cellar::test::TempDir dir;
  auto file = dir / "health.csv";
  append_health_csv(file, tricky_run());
  auto out = dir / "rows.json";
  std::string cmd = python + " -c 'import csv, json, sys; "
                    "json.dump(list(csv.reader(open(sys.argv[1], newline=\"\"), strict=True)), open(sys.argv[2], \"w\"))' " +
                    file.string() + " " + out.string();
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  auto rows = nlohmann::json::parse(cellar::test::read_file(out));
  ASSERT_EQ(rows.size(), kTricky.size() + 1);
  EXPECT_EQ(rows[0].get<std::vector<std::string>>(), kHealthColumns);
  for (size_t i = 0; i < kTricky.size(); ++i) {
    EXPECT_EQ(rows[i + 1].size(), kHealthColumns.size());
    EXPECT_EQ(rows[i + 1][10], kTricky[i]);
    EXPECT_EQ(rows[i + 1][1], "assist,ant");
  }
}

TEST(HealthCsv, MissingColumnsAreNamed) {
  cellar::test::TempDir dir;
  std::ofstream(dir / "bad.csv") << "when,what\n1,2\n";
  try {
    read_health_csv(dir / "bad.csv");
    FAIL();
  } catch (const CsvError& e) {
    EXPECT_NE(std::string(e.what()).find("'time'"), std::string::npos);
  }
}

}  // namespace
}  // namespace cellar::ops
