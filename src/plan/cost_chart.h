#pragma once
// `--chart`: a self-contained SVG (no scripts, no external fonts) of monthly
// cost against monthly token volume, owning the selected hardware versus the
// cloud API, with the planned volume and the break-even point marked.
#include <string>
#include <vector>

#include "plan/plan_model.h"

namespace cellar::plan {

std::string cost_chart_svg(const PlanResult& plan);

// About `count` round tick values covering [0, max] (1, 2 or 5 x 10^k steps).
std::vector<double> nice_ticks(double max, int count = 5);

// Escapes &, <, >, " and ' for XML text and attributes.
std::string xml_escape(const std::string& s);

}  // namespace cellar::plan
