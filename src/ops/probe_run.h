#pragma once
// One pass of a golden suite against a server: every question asked once,
// each answer judged, nothing written anywhere (callers decide: CSV, metrics,
// alerts, baselines).
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "ops/chat_client.h"
#include "ops/golden_suite.h"

namespace cellar::ops {

struct QuestionResult {
  std::string question_id;
  std::string deployment;
  std::string model_version;
  std::string template_version;
  std::chrono::system_clock::time_point time;  // when the question was sent
  Answer answer;
  bool reached = false;  // a complete answer arrived (false: connection/HTTP/stream error)
  bool passed = false;
  std::string reason;                // why it failed; notes (drift) may be added when it passed
  std::optional<double> drift_score;  // similarity to the baseline answer, 0..1
};

struct ProbeRun {
  std::string suite;
  std::vector<QuestionResult> results;
  bool all_passed() const;
  std::vector<const QuestionResult*> failures() const;
};

// Asks every question in order. Never throws for server trouble.
ProbeRun run_suite(const GoldenSuite& suite, const ChatClient& client);

// Adds a failure reason to a result (keeps earlier ones, "; "-separated).
void add_failure(QuestionResult& r, const std::string& why);

// "2026-11-26T08:45:51Z"
std::string iso8601_utc(std::chrono::system_clock::time_point t);

}  // namespace cellar::ops
