#pragma once
// Prompt-injection detector for user and tool messages. The text is
// normalised (normalize.h), tokenised, matched against word classes
// (lexicon.h), and rules combine classes by proximity into weighted features;
// the score is the noisy-OR of the fired features. Encoded payloads (base64,
// hex, rot13, Unicode tag characters) are decoded and scored too.
// Cost is linear in the input length.
#include <string>
#include <string_view>
#include <vector>

namespace cellar::guard {

// Score at or above which a message is flagged; chosen on data/guard/dev.jsonl
// (see docs/security.md).
constexpr double kDefaultInjectionThreshold = 0.5;

struct InjectionResult {
  double score = 0.0;  // in [0, 1]
  bool flagged = false;
  std::vector<std::string> rules;  // ids of the features that fired, e.g. "override.instructions"
};

InjectionResult detect_injection(std::string_view text, double threshold = kDefaultInjectionThreshold);

}  // namespace cellar::guard
