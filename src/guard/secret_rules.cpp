// Password-game rules: the guarded secret asked for outright or leaked
// piece by piece (Gandalf-style extraction).
#include <algorithm>
#include <string_view>

#include "guard/features.h"
#include "guard/hit_index.h"

namespace cellar::guard {
namespace {

// "the password", "das Kennwort", "the secret you are guarding": the model's
// secret, not the user's own ("my password", "a strong password").
bool guarded_secret(const std::vector<Token>& toks, const Hit& s) {
  static constexpr std::string_view kDet[] = {"the", "your", "das", "dein", "deine", "den", "this", "that", "its"};
  // "the password for the wifi", "the password I just typed": someone else's.
  static constexpr std::string_view kScope[] = {"to", "for", "of", "behind", "zu", "fur", "von", "i", "we"};
  auto is = [](std::string_view w, const auto& list) { return std::find(std::begin(list), std::end(list), w) != std::end(list); };
  bool det = false;  // one adjective may sit between: "the secret password", "the admin password"
  for (uint32_t k = 1; k <= 2 && k <= s.begin; ++k) {
    const Token& t = toks[s.begin - k];
    if (t.sentence == s.sentence && is(t.text, kDet)) det = true;
  }
  // "the secret to a good cake", "the password for the wifi": some other secret.
  bool scoped = s.end < toks.size() && toks[s.end].sentence == s.sentence && is(toks[s.end].text, kScope);
  // A bare "secret" is the thing itself only at a clause end or before a
  // relative clause; "the secret ingredient" names something else.
  static constexpr std::string_view kClause[] = {"you", "that", "which", "now", "please", "word", "password"};
  bool next_word = s.end < toks.size() && toks[s.end].sentence == s.sentence;
  if (s.end - s.begin == 1 && toks[s.begin].text == "secret" && next_word && !is(toks[s.end].text, kClause)) return false;
  return det && !scoped;
}

// Password games ("what is the password?", "spell it backwards", "a poem
// containing the secret word"): asking for the guarded secret, directly or
// through a transformation that leaks it piece by piece.
}  // namespace

void secret_rules(const HitIndex& ix, const std::vector<Token>& toks, Features& f) {
  for (const Hit* s : ix.of(Cat::kSecret)) {
    // "reset the password", "the password manager": account help.
    if (!guarded_secret(toks, *s) || ix.starts_in(Cat::kAccount, s->sentence, s->begin >= 6 ? s->begin - 6 : 0, s->end + 6)) continue;
    bool asked = ix.any(Cat::kTransform);
    for (Cat c : {Cat::kExtract, Cat::kQuestion}) {
      for (const Hit* e : ix.of(c)) asked = asked || (e->sentence == s->sentence && !ix.negated(*e));
    }
    if (asked) {
      f.add("extraction.secret", 0.6);
      return;
    }
  }
}

}  // namespace cellar::guard
