#pragma once
// Human durations for schedule flags: "90s", "15m", "1h", "1d", "1h30m".
#include <chrono>
#include <stdexcept>
#include <string>

namespace cellar::ops {

// Throws std::invalid_argument naming the text for anything else, or zero.
std::chrono::seconds parse_duration(const std::string& text);

}  // namespace cellar::ops
