#include "registry/names.h"

#include <charconv>

#include "registry/errors.h"

namespace cellar::registry {
namespace {

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

}  // namespace

bool is_valid_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || !is_alnum(name[0])) return false;
  for (char c : name) {
    if (!is_alnum(c) && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}

void require_valid_name(std::string_view what, std::string_view name) {
  if (is_valid_name(name)) return;
  throw InvalidInput("invalid " + std::string(what) + " name '" + std::string(name) +
                     "': use 1-64 characters matching " + std::string(kNamePattern));
}

std::string VersionRef::to_string() const {
  return version ? version_label(name, *version) : name;
}

VersionRef parse_version_ref(std::string_view what, std::string_view text) {
  VersionRef ref;
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    require_valid_name(what, text);
    ref.name = std::string(text);
    return ref;
  }
  std::string_view name = text.substr(0, colon);
  std::string_view num = text.substr(colon + 1);
  require_valid_name(what, name);
  int64_t v = 0;
  auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), v);
  if (num.empty() || ec != std::errc() || end != num.data() + num.size() || v < 1) {
    throw InvalidInput("invalid " + std::string(what) + " reference '" + std::string(text) +
                       "': expected NAME or NAME:N with N a positive version number");
  }
  ref.name = std::string(name);
  ref.version = v;
  return ref;
}

std::string version_label(std::string_view name, int64_t version) {
  return std::string(name) + ":" + std::to_string(version);
}

}  // namespace cellar::registry
