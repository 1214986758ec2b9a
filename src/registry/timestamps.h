#pragma once
// Catalogue timestamps: UTC ISO 8601 with milliseconds ("2026-11-26T08:46:05.123Z"),
// so text order is time order and `--since` filters are plain comparisons.
#include <chrono>
#include <string>
#include <string_view>

namespace cellar::registry {

std::string format_timestamp(std::chrono::system_clock::time_point t);
std::string now_timestamp();

// Accepts an absolute time ("2026-11-26", "2026-11-26T08:00", "2026-11-26T08:00:00Z",
// "2026-11-26 08:00:00") or a relative one ("90s", "30m", "6h", "7d" = that long ago).
// Returns the normalised timestamp text. Throws InvalidInput.
std::string parse_since(std::string_view text, std::chrono::system_clock::time_point now);

}  // namespace cellar::registry
