#pragma once
// Puts the estimates together: for every hardware entry, does the model fit,
// how fast does it run, what does owning it cost against the cloud API, and
// which choice to recommend.
#include <string>

#include "plan/catalog.h"
#include "plan/plan_model.h"

namespace cellar::plan {

// A catalogue model at a llama.cpp file type ("Q4_K_M").
ModelInput model_from_catalog(const Catalog& catalog, const std::string& name,
                              const std::string& quant);

PlanResult make_plan(const Catalog& catalog, const ModelInput& model, const PlanOptions& opts);

}  // namespace cellar::plan
