#include "ops/duration.h"

#include <cctype>

namespace cellar::ops {

std::chrono::seconds parse_duration(const std::string& text) {
  auto bad = [&] {
    return std::invalid_argument("bad duration '" + text + "': use a number with s, m, h or d, e.g. 30m or 1h");
  };
  long long total = 0;
  size_t i = 0;
  if (text.empty()) throw bad();
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) throw bad();
    long long n = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      n = n * 10 + (text[i++] - '0');
      if (n > 1'000'000'000) throw bad();
    }
    if (i == text.size()) throw bad();
    switch (text[i++]) {
      case 's': total += n; break;
      case 'm': total += n * 60; break;
      case 'h': total += n * 3600; break;
      case 'd': total += n * 86400; break;
      default: throw bad();
    }
  }
  if (total <= 0) throw bad();
  return std::chrono::seconds(total);
}

}  // namespace cellar::ops
