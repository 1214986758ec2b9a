#include "guard/eval.h"

#include <nlohmann/json.hpp>

#include "guard/guard_error.h"
#include "guard/injection.h"

namespace cellar::guard {
namespace {

LabelledText parse_line(const std::string& line, const std::string& where) {
  auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) throw GuardError(where + ": not a JSON object");
  auto text = j.find("text");
  auto label = j.find("label");
  if (text == j.end() || !text->is_string()) throw GuardError(where + ": \"text\" must be a string");
  if (label == j.end() || !label->is_string()) throw GuardError(where + ": \"label\" must be a string");
  const auto& l = label->get_ref<const std::string&>();
  if (l != "injection" && l != "benign") {
    throw GuardError(where + ": \"label\" must be \"injection\" or \"benign\", got \"" + l + "\"");
  }
  return LabelledText{text->get<std::string>(), l == "injection"};
}

double ratio(size_t num, size_t den, double if_empty) {
  return den == 0 ? if_empty : static_cast<double>(num) / static_cast<double>(den);
}

}  // namespace

std::vector<LabelledText> load_eval_set(std::istream& in, const std::string& source) {
  std::vector<LabelledText> out;
  std::string line;
  for (size_t n = 1; std::getline(in, line); ++n) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    out.push_back(parse_line(line, source + ":" + std::to_string(n)));
  }
  return out;
}

EvalMetrics evaluate(const std::vector<LabelledText>& set, double threshold) {
  EvalMetrics m;
  m.n = set.size();
  for (const LabelledText& item : set) {
    bool flagged = detect_injection(item.text, threshold).flagged;
    if (item.injection) ++(flagged ? m.true_pos : m.false_neg);
    else ++(flagged ? m.false_pos : m.true_neg);
  }
  m.precision = ratio(m.true_pos, m.true_pos + m.false_pos, 1.0);
  m.recall = ratio(m.true_pos, m.true_pos + m.false_neg, 0.0);
  m.false_positive_rate = ratio(m.false_pos, m.false_pos + m.true_neg, 0.0);
  return m;
}

}  // namespace cellar::guard
