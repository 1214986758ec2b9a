#pragma once
// A model to plan for, read from a GGUF file's header: the shape from the
// `<arch>.*` metadata and the real weight bytes from the tensor table (the
// sum of every tensor's n_bytes), so mixed quantizations are counted exactly.
// No tensor data is read.
#include <string>

#include "plan/catalog.h"
#include "plan/plan_model.h"

namespace cellar::plan {

// Throws GgufError for a malformed file and CatalogError when a key the plan
// needs is missing. A catalogue model of the same shape lends its licence
// note and cloud equivalent.
ModelInput model_from_gguf(const std::string& path, const Catalog& catalog);

}  // namespace cellar::plan
