#pragma once
// Renders a PlanResult for people (a table and a recommendation) and for
// programs (JSON; the schema is documented in docs/planning.md).
#include <nlohmann/json.hpp>
#include <string>

#include "plan/plan_model.h"

namespace cellar::plan {

nlohmann::json plan_to_json(const PlanResult& plan);
std::string plan_to_text(const PlanResult& plan);

// "4.58 GiB", "512 MiB".
std::string format_bytes(uint64_t bytes);

}  // namespace cellar::plan
