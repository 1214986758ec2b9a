#pragma once
// YAML documents as nlohmann::json, so suites and schemas are handled one way
// whether the file was written in YAML or JSON.
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace cellar::ops {

// Plain scalars become null/bool/integer/number when they read as one;
// quoted scalars always stay strings ("007" is not 7).
nlohmann::json yaml_to_json(const YAML::Node& node);

}  // namespace cellar::ops
