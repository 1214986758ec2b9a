#pragma once
// Labelled evaluation of the injection detector: JSONL with one
// {"text": ..., "label": "injection"|"benign"} per line.
#include <cstddef>
#include <istream>
#include <string>
#include <vector>

namespace cellar::guard {

struct LabelledText {
  std::string text;
  bool injection = false;
};

// Throws GuardError naming `source` and the 1-based line of the first bad line.
// Blank lines are skipped.
std::vector<LabelledText> load_eval_set(std::istream& in, const std::string& source);

struct EvalMetrics {
  size_t n = 0, true_pos = 0, false_pos = 0, true_neg = 0, false_neg = 0;
  double precision = 0.0;            // tp / (tp + fp); 1 when nothing was flagged
  double recall = 0.0;               // tp / (tp + fn)
  double false_positive_rate = 0.0;  // fp / (fp + tn)
};

EvalMetrics evaluate(const std::vector<LabelledText>& set, double threshold);

}  // namespace cellar::guard
