#include "registry/line_diff.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace cellar::registry {
namespace {

constexpr size_t kMaxCells = 25'000'000;

std::vector<std::string_view> split_lines(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string_view::npos) nl = s.size();
    out.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

struct Op {
  char kind;  // ' ', '-', '+'
  std::string_view line;
};

std::vector<Op> diff_ops(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  size_t n = a.size(), m = b.size();
  std::vector<Op> ops;
  if ((n + 1) * (m + 1) > kMaxCells) {
    for (auto l : a) ops.push_back({'-', l});
    for (auto l : b) ops.push_back({'+', l});
    return ops;
  }
  // lcs[i][j]: LCS length of a[i..] and b[j..]; stored flat as [n+1][m+1].
  std::vector<uint32_t> lcs((n + 1) * (m + 1), 0);
  auto at = [&](size_t i, size_t j) -> uint32_t& { return lcs[i * (m + 1) + j]; };
  for (size_t i = n; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      at(i, j) = a[i] == b[j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
    }
  }
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      ops.push_back({' ', a[i++]});
      ++j;
    } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
      ops.push_back({'-', a[i++]});  // deletions first, like diff -u
    } else {
      ops.push_back({'+', b[j++]});
    }
  }
  return ops;
}

}  // namespace

std::string unified_diff(std::string_view a, std::string_view b, std::string_view label_a, std::string_view label_b,
                         int context) {
  std::vector<Op> ops = diff_ops(split_lines(a), split_lines(b));
  auto ctx = static_cast<size_t>(std::max(0, context));
  std::string out;
  size_t k = 0;
  // Line numbers (1-based) in a and b at op index k.
  std::vector<size_t> line_a(ops.size() + 1, 1), line_b(ops.size() + 1, 1);
  for (size_t x = 0; x < ops.size(); ++x) {
    line_a[x + 1] = line_a[x] + (ops[x].kind != '+');
    line_b[x + 1] = line_b[x] + (ops[x].kind != '-');
  }
  while (k < ops.size()) {
    if (ops[k].kind == ' ') {
      ++k;
      continue;
    }
    size_t start = k > ctx ? k - ctx : 0;
    // Extend the hunk while the next change is within 2*ctx lines of the last one.
    size_t last_change = k;
    for (size_t x = k; x < ops.size() && x - last_change <= 2 * ctx + 1; ++x) {
      if (ops[x].kind != ' ') last_change = x;
    }
    size_t end = std::min(last_change + ctx + 1, ops.size());
    size_t count_a = line_a[end] - line_a[start], count_b = line_b[end] - line_b[start];
    if (out.empty()) out = "--- " + std::string(label_a) + "\n+++ " + std::string(label_b) + "\n";
    out += "@@ -" + std::to_string(count_a ? line_a[start] : line_a[start] - 1) + "," + std::to_string(count_a) +
           " +" + std::to_string(count_b ? line_b[start] : line_b[start] - 1) + "," + std::to_string(count_b) +
           " @@\n";
    for (size_t x = start; x < end; ++x) {
      out += ops[x].kind;
      out += ops[x].line;
      out += '\n';
    }
    k = end;
  }
  return out;
}

}  // namespace cellar::registry
