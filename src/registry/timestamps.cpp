#include "registry/timestamps.h"

#include <charconv>
#include <cstdio>
#include <ctime>
#include <optional>

#include "registry/errors.h"

namespace cellar::registry {
namespace {

std::optional<std::chrono::seconds> parse_relative(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, n);
  if (ec != std::errc() || end != text.data() + text.size() - 1 || n < 0) return std::nullopt;
  switch (text.back()) {
    case 's': return std::chrono::seconds(n);
    case 'm': return std::chrono::seconds(n * 60);
    case 'h': return std::chrono::seconds(n * 3600);
    case 'd': return std::chrono::seconds(n * 86400);
    default: return std::nullopt;
  }
}

std::optional<std::string> parse_absolute(std::string_view text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  char sep = 'T';
  std::string buf(text);
  if (!buf.empty() && buf.back() == 'Z') buf.pop_back();
  int n = std::sscanf(buf.c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d", &y, &mo, &d, &sep, &h, &mi, &s);
  bool shape_ok = n == 3 || ((n == 6 || n == 7) && (sep == 'T' || sep == ' '));
  if (!shape_ok || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) {
    return std::nullopt;
  }
  char out[64];
  std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d.000Z", y, mo, d, h, mi, s);
  return std::string(out);
}

}  // namespace

std::string format_timestamp(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char out[64];
  std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return out;
}

std::string now_timestamp() { return format_timestamp(std::chrono::system_clock::now()); }

std::string parse_since(std::string_view text, std::chrono::system_clock::time_point now) {
  if (auto rel = parse_relative(text)) return format_timestamp(now - *rel);
  if (auto abs = parse_absolute(text)) return *abs;
  throw InvalidInput("invalid time '" + std::string(text) +
                     "': use YYYY-MM-DD[THH:MM[:SS]][Z] (UTC) or a duration ago like 30m, 6h, 7d");
}

}  // namespace cellar::registry
