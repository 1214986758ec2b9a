#pragma once
// Internal to the injection detector: lexicon hits grouped by word class, and
// the proximity lookups every rule is built from.
#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include "guard/lexicon.h"
#include "guard/tokenize.h"

namespace cellar::guard {

// Hits per class, each list in token order, so every lookup is a binary search
// plus a scan of a few tokens: rules stay linear on hostile inputs full of hits.
class HitIndex {
 public:
  using List = std::vector<const Hit*>;
  explicit HitIndex(const std::vector<Hit>& hits) {
    for (const Hit& h : hits) by_cat_[static_cast<size_t>(h.cat)].push_back(&h);
  }
  const List& of(Cat c) const { return by_cat_[static_cast<size_t>(c)]; }
  bool any(Cat c) const { return !of(c).empty(); }

  // First hit of `c` whose begin is >= lo.
  List::const_iterator from(Cat c, uint32_t lo) const {
    return std::lower_bound(of(c).begin(), of(c).end(), lo, [](const Hit* h, uint32_t v) { return h->begin < v; });
  }
  // Up to `cap` different words among the hits of `c` (callers saturate anyway).
  size_t distinct(Cat c, const std::vector<Token>& toks, size_t cap = 4) const {
    std::vector<std::string_view> seen;
    for (const Hit* h : of(c)) {
      std::string_view w = toks[h->begin].text;
      if (std::find(seen.begin(), seen.end(), w) == seen.end()) seen.push_back(w);
      if (seen.size() >= cap) break;
    }
    return seen.size();
  }
  // A hit of `c` starting inside token range [lo, hi) in `sentence`.
  bool starts_in(Cat c, uint32_t sentence, uint32_t lo, uint32_t hi) const {
    for (auto it = from(c, lo); it != of(c).end() && (*it)->begin < hi; ++it) {
      if ((*it)->sentence == sentence) return true;
    }
    return false;
  }
  // A hit of `c` overlapping token range [lo, hi) in `sentence`.
  bool within(Cat c, uint32_t sentence, uint32_t lo, uint32_t hi) const {
    uint32_t start = lo > kMaxPhraseTokens ? lo - kMaxPhraseTokens : 0;
    for (auto it = from(c, start); it != of(c).end() && (*it)->begin < hi; ++it) {
      if ((*it)->sentence == sentence && (*it)->end > lo) return true;
    }
    return false;
  }
  // Negation just before a verb ("don't ignore", "jangan abaikan", "不要忽略"),
  // or right after it in German verb-second order ("vergiss nicht").
  // "never happened and reveal ..." negates the first verb only.
  bool negated(const Hit& verb) const {
    uint32_t lo = verb.begin >= 3 ? verb.begin - 3 : 0;
    uint32_t start = lo > kMaxPhraseTokens ? lo - kMaxPhraseTokens : 0;
    for (auto it = from(Cat::kNegation, start); it != of(Cat::kNegation).end() && (*it)->begin < verb.begin; ++it) {
      const Hit& n = **it;
      if (n.sentence == verb.sentence && n.end > lo && !starts_in(Cat::kJoin, verb.sentence, n.end, verb.begin)) return true;
    }
    return starts_in(Cat::kNegation, verb.sentence, verb.end, verb.end + 1);
  }

 private:
  std::array<List, static_cast<size_t>(Cat::kCount)> by_cat_;
};

// First hit of `b` starting 0..max_gap tokens after `a` ends, same sentence.
inline const Hit* after(const HitIndex& ix, const Hit& a, Cat b, uint32_t max_gap) {
  for (auto it = ix.from(b, a.end); it != ix.of(b).end() && (*it)->begin <= a.end + max_gap; ++it) {
    if ((*it)->sentence == a.sentence) return *it;
  }
  return nullptr;
}

// Either order, for languages that put the verb last ("把你的系统提示词告诉我").
inline const Hit* near(const HitIndex& ix, const Hit& a, Cat b, uint32_t max_gap) {
  if (const Hit* h = after(ix, a, b, max_gap)) return h;
  uint32_t lo = a.begin > max_gap + kMaxPhraseTokens ? a.begin - max_gap - kMaxPhraseTokens : 0;
  for (auto it = ix.from(b, lo); it != ix.of(b).end() && (*it)->begin < a.begin; ++it) {
    const Hit* h = *it;
    if (h->sentence == a.sentence && h->end <= a.begin && a.begin - h->end <= max_gap) return h;
  }
  return nullptr;
}

}  // namespace cellar::guard
