#include "registry/home.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

#include "registry/errors.h"

namespace cellar::registry {

std::filesystem::path resolve_home(const std::optional<std::string>& flag) {
  if (flag && !flag->empty()) return std::filesystem::path(*flag);
  if (const char* env = std::getenv("CELLAR_HOME"); env && *env) return std::filesystem::path(env);
  if (const char* home = std::getenv("HOME"); home && *home) return std::filesystem::path(home) / ".cellar";
  if (const passwd* pw = getpwuid(geteuid()); pw && pw->pw_dir && *pw->pw_dir) {
    return std::filesystem::path(pw->pw_dir) / ".cellar";
  }
  throw InvalidInput("cannot find a home for the registry: pass --home DIR or set CELLAR_HOME");
}

std::string os_user_name() {
  uid_t uid = geteuid();
  if (const passwd* pw = getpwuid(uid); pw && pw->pw_name && *pw->pw_name) return pw->pw_name;
  return "uid:" + std::to_string(uid);
}

}  // namespace cellar::registry
