#pragma once
// Holds one answer to its question's expectations.
#include <optional>
#include <string>
#include <vector>

#include "ops/golden_suite.h"

namespace cellar::ops {

struct Answer {
  std::string text;
  double latency_ms = 0;
  std::optional<double> ttft_ms;  // absent when no token arrived
  long tokens = 0;
};

struct Verdict {
  bool passed = true;
  std::vector<std::string> failures;  // one human-readable line per broken expectation
  std::string reason() const;         // failures joined with "; "
};

Verdict check_answer(const Expectations& expect, const Answer& answer);

// The JSON text inside an answer: trims blanks and one surrounding ``` fence,
// since models often wrap JSON in Markdown.
std::string strip_json_fence(const std::string& text);

}  // namespace cellar::ops
