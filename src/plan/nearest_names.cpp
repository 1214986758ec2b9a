#include "plan/nearest_names.h"

#include <algorithm>
#include <cctype>

namespace cellar::plan {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

size_t edit_distance(std::string_view a_in, std::string_view b_in) {
  const std::string a = lower(a_in), b = lower(b_in);
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);  // [len(b)+1]
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::vector<std::string> nearest_names(std::string_view wanted,
                                       const std::vector<std::string>& known, size_t limit) {
  const std::string w = lower(wanted);
  std::vector<std::pair<size_t, std::string>> scored;
  for (const auto& k : known) {
    size_t d = edit_distance(w, k);
    // "4090" should find "rtx-4090" although the edit distance is large.
    if (!w.empty() && lower(k).find(w) != std::string::npos) d = std::min<size_t>(d, 1);
    scored.emplace_back(d, k);
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (size_t i = 0; i < scored.size() && out.size() < limit; ++i) out.push_back(scored[i].second);
  return out;
}

std::string unknown_name_message(std::string_view what, std::string_view wanted,
                                 const std::vector<std::string>& known, std::string_view where) {
  std::string msg = "unknown " + std::string(what) + " '" + std::string(wanted) + "'";
  auto near = nearest_names(wanted, known);
  if (!near.empty()) {
    msg += "; did you mean: ";
    for (size_t i = 0; i < near.size(); ++i) msg += (i ? ", " : "") + near[i];
    msg += "?";
  }
  if (!where.empty()) msg += " (" + std::string(where) + ")";
  return msg;
}

}  // namespace cellar::plan
