#include "registry/progress_format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "registry/memory_budget.h"

namespace cellar::registry {

std::string format_duration(double seconds) {
  auto s = static_cast<int64_t>(std::llround(std::max(0.0, seconds)));
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                  static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  } else {
    std::snprintf(buf, sizeof buf, "%lld:%02lld", static_cast<long long>(s / 60), static_cast<long long>(s % 60));
  }
  return buf;
}

std::string format_progress_bar(uint64_t done, uint64_t total, double elapsed_s, int width) {
  double frac = total > 0 ? std::min(1.0, static_cast<double>(done) / static_cast<double>(total)) : 1.0;
  int filled = static_cast<int>(frac * width);
  std::string bar = "[";
  for (int i = 0; i < width; ++i) bar += i < filled ? '=' : (i == filled ? '>' : ' ');
  bar += "]";
  double rate = elapsed_s > 0 ? static_cast<double>(done) / elapsed_s : 0;
  std::string eta = rate > 0 ? format_duration(static_cast<double>(total - std::min(total, done)) / rate) : "--:--";
  char pct[8];
  std::snprintf(pct, sizeof pct, "%3d%%", static_cast<int>(frac * 100));
  return bar + " " + pct + "  " + format_bytes(done) + " / " + format_bytes(total) + "  " +
         format_bytes(static_cast<uint64_t>(rate)) + "/s  ETA " + eta;
}

std::string format_progress_line(uint64_t done, uint64_t total) {
  int pct = total > 0 ? static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(total)) : 100;
  return "hashing: " + std::to_string(pct) + "% (" + format_bytes(done) + " of " + format_bytes(total) + ")";
}

}  // namespace cellar::registry
