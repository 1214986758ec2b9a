#include "ops/health_csv.h"

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "ops/csv.h"

namespace cellar::ops {

const std::vector<std::string> kHealthColumns = {
    "time",       "deployment", "model_version", "template_version", "question",   "latency_ms",
    "ttft_ms",    "tokens",     "passed",        "drift_score",      "reason"};

namespace {

std::string fixed(double v, int digits) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::optional<double> opt_number(const std::string& s, const std::string& where) {
  if (s.empty()) return std::nullopt;
  try {
    size_t used = 0;
    double v = std::stod(s, &used);
    if (used == s.size()) return v;
  } catch (const std::exception&) {
  }
  throw CsvError(where + ": '" + s + "' is not a number");
}

}  // namespace

HealthRow to_health_row(const QuestionResult& r) {
  HealthRow row;
  row.time = iso8601_utc(r.time);
  row.deployment = r.deployment;
  row.model_version = r.model_version;
  row.template_version = r.template_version;
  row.question = r.question_id;
  row.latency_ms = r.answer.latency_ms;
  row.ttft_ms = r.answer.ttft_ms;
  row.tokens = r.answer.tokens;
  row.passed = r.passed;
  row.drift_score = r.drift_score;
  row.reason = r.reason;
  return row;
}

std::vector<std::string> health_fields(const HealthRow& row) {
  return {row.time,
          row.deployment,
          row.model_version,
          row.template_version,
          row.question,
          fixed(row.latency_ms, 1),
          row.ttft_ms ? fixed(*row.ttft_ms, 1) : "",
          std::to_string(row.tokens),
          row.passed ? "true" : "false",
          row.drift_score ? fixed(*row.drift_score, 3) : "",
          row.reason};
}

void append_health_csv(const std::filesystem::path& file, const ProbeRun& run) {
  std::error_code ec;
  bool fresh = !std::filesystem::exists(file, ec) || std::filesystem::file_size(file, ec) == 0;
  std::string out = fresh ? csv_record(kHealthColumns) : "";
  for (const auto& r : run.results) out += csv_record(health_fields(to_health_row(r)));
  // One write per run keeps concurrent appenders (two crons) from interleaving rows.
  std::ofstream f(file, std::ios::binary | std::ios::app);
  if (!f) throw std::runtime_error("cannot open " + file.string() + " for appending");
  f << out;
  f.flush();
  if (!f) throw std::runtime_error("cannot write " + file.string());
}

std::vector<HealthRow> read_health_csv(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw CsvError("cannot open " + file.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  std::vector<std::vector<std::string>> records;
  try {
    records = parse_csv(ss.str());
  } catch (const CsvError& e) {
    throw CsvError(file.string() + ": " + e.what());
  }
  std::vector<HealthRow> rows;
  if (records.empty()) return rows;
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < records[0].size(); ++i) col[records[0][i]] = i;
  for (const char* needed : {"time", "question", "latency_ms", "passed"})
    if (!col.count(needed)) throw CsvError(file.string() + ": no '" + needed + "' column in the header");
  for (size_t n = 1; n < records.size(); ++n) {
    const auto& rec = records[n];
    std::string where = file.string() + ": record " + std::to_string(n + 1);
    auto get = [&](const std::string& name) -> std::string {
      auto it = col.find(name);
      return it != col.end() && it->second < rec.size() ? rec[it->second] : std::string();
    };
    HealthRow row;
    row.time = get("time");
    row.deployment = get("deployment");
    row.model_version = get("model_version");
    row.template_version = get("template_version");
    row.question = get("question");
    row.latency_ms = opt_number(get("latency_ms"), where).value_or(0);
    row.ttft_ms = opt_number(get("ttft_ms"), where);
    row.tokens = static_cast<long>(opt_number(get("tokens"), where).value_or(0));
    row.passed = get("passed") == "true";
    row.drift_score = opt_number(get("drift_score"), where);
    row.reason = get("reason");
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace cellar::ops
