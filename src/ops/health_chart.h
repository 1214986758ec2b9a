#pragma once
// The "ECG": an SVG chart of daily pass rate (bars, right axis) and answer
// latency p50/p95 (lines, left axis). Hand-written SVG, no dependencies.
#include <string>
#include <vector>

#include "ops/health_report.h"

namespace cellar::ops {

// Throws std::invalid_argument when `days` is empty.
std::string health_chart_svg(const std::vector<DayHealth>& days, const std::string& title);

// Up to about `target` round steps (1, 2 or 5 × 10^k) covering 0..max.
double nice_step(double max, int target);

}  // namespace cellar::ops
