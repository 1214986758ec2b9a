#pragma once
// Internal to the injection detector: the fired features of one message and
// the two families of rules that produce them.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "guard/lexicon.h"
#include "guard/tokenize.h"

namespace cellar::guard {

class HitIndex;

class Features {
 public:
  // Keeps the strongest weight per feature id.
  void add(const std::string& id, double weight);
  // Noisy-OR of all weights: independent pieces of evidence accumulate.
  double score() const;
  bool empty() const { return items_.empty(); }
  double strongest() const;
  const std::vector<std::pair<std::string, double>>& items() const { return items_; }

 private:
  std::vector<std::pair<std::string, double>> items_;
};

struct LexicalContext {
  bool discussion = false;   // the text talks *about* attacks (defence questions)
  bool obfuscated = false;   // a hit relied on leetspeak or spaced letters
  bool addressed = false;    // the text assigns the model a role or speaks to it
  size_t rot13_marks = 0;    // rot13-spelled key words seen
};

// Rules over word-class hits (override, role hijack, extraction...).
LexicalContext lexical_features(const std::vector<Token>& toks, const std::vector<Hit>& hits, Features& f);

// Password games: "what is the password?", "spell the secret backwards".
void secret_rules(const HitIndex& ix, const std::vector<Token>& toks, Features& f);

// Rules over the character stream: chat-template tokens, fake role lines,
// fake end-of-input banners, the uppercase "DAN" persona. `raw` is the input
// as given (for case), `norm` its normalised form.
void markup_features(std::string_view raw, std::string_view norm, Features& f);

}  // namespace cellar::guard
