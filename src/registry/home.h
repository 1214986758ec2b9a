#pragma once
// Where the registry lives and who is acting.
//
// CELLAR_HOME resolution: the `--home` flag, else the CELLAR_HOME environment
// variable, else ~/.cellar. A service (deploy/cellar.service) sets
// CELLAR_HOME=/var/lib/cellar so the server and admins share one store.
#include <filesystem>
#include <optional>
#include <string>

namespace cellar::registry {

inline constexpr const char* kServiceHome = "/var/lib/cellar";

std::filesystem::path resolve_home(const std::optional<std::string>& flag);

// The OS user running this process (getpwuid(geteuid())), or "uid:N" when unnamed.
std::string os_user_name();

}  // namespace cellar::registry
