#pragma once
// Names of models, templates, deployments and keys, and references to a
// version of one ("NAME" or "NAME:N"). Names are restricted to a safe set so
// they can appear in paths, URLs, metric labels and shell commands unquoted.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cellar::registry {

// The allowed pattern, for messages and docs.
inline constexpr std::string_view kNamePattern = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

bool is_valid_name(std::string_view name);
// Throws InvalidInput naming `what` ("model", "deployment", ...) and the pattern.
void require_valid_name(std::string_view what, std::string_view name);

struct VersionRef {
  std::string name;
  std::optional<int64_t> version;  // nullopt: the latest version
  std::string to_string() const;
};

// Parses "NAME" or "NAME:N" (N >= 1). Throws InvalidInput.
VersionRef parse_version_ref(std::string_view what, std::string_view text);

// "NAME:N"
std::string version_label(std::string_view name, int64_t version);

}  // namespace cellar::registry
