#pragma once
// The health history: one CSV row per probed question, appended run after run
// so a spreadsheet (or `cellar report health`) can read the trend.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ops/probe_run.h"

namespace cellar::ops {

// Column order of files we write; readers go by header name, so files from
// older versions with fewer columns still read.
extern const std::vector<std::string> kHealthColumns;

struct HealthRow {
  std::string time;  // ISO-8601 UTC
  std::string deployment;
  std::string model_version;
  std::string template_version;
  std::string question;
  double latency_ms = 0;
  std::optional<double> ttft_ms;
  long tokens = 0;
  bool passed = false;
  std::optional<double> drift_score;
  std::string reason;
};

HealthRow to_health_row(const QuestionResult& r);
std::vector<std::string> health_fields(const HealthRow& row);

// Appends the run's rows; writes the header first when the file is new or empty.
void append_health_csv(const std::filesystem::path& file, const ProbeRun& run);

// Throws CsvError naming the file and line for malformed content.
std::vector<HealthRow> read_health_csv(const std::filesystem::path& file);

}  // namespace cellar::ops
