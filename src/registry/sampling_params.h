#pragma once
// Default sampling parameters carried by templates and deployments, as JSON
// objects using the OpenAI/Ollama request names. Unknown names and values out
// of range are rejected up front so a typo never silently does nothing.
#include <string>

#include <nlohmann/json.hpp>

namespace cellar::registry {

// Throws InvalidInput naming `where` and the offending parameter.
void validate_sampling_params(const nlohmann::json& params, const std::string& where);

// `base` with every key of `overrides` replacing it (deployment over template).
nlohmann::json merge_sampling_params(const nlohmann::json& base, const nlohmann::json& overrides);

// "key=value" from the command line: value parsed as JSON when it is valid JSON
// (numbers, true/false, arrays), else kept as a string.
std::pair<std::string, nlohmann::json> parse_param_assignment(const std::string& text);

}  // namespace cellar::registry
