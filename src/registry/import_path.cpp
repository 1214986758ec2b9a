#include "registry/import_path.h"

#include <algorithm>

#include "registry/errors.h"

namespace cellar::registry {
namespace {

bool is_within(const std::filesystem::path& dir, const std::filesystem::path& p) {
  auto d = dir.begin();
  auto q = p.begin();
  for (; d != dir.end(); ++d, ++q) {
    if (d->empty()) continue;  // trailing separator
    if (q == p.end() || *d != *q) return false;
  }
  return true;
}

}  // namespace

std::filesystem::path resolve_import_path(const std::filesystem::path& allowed_dir, const std::string& requested) {
  namespace fs = std::filesystem;
  if (requested.empty() || requested.find('\0') != std::string::npos) {
    throw InvalidInput("import path is empty or contains a NUL byte");
  }
  fs::path req(requested);
  for (const auto& part : req) {
    if (part == "..") throw InvalidInput("import path '" + requested + "' must not contain '..'");
  }
  std::error_code ec;
  fs::path root = fs::canonical(allowed_dir, ec);
  if (ec) throw InvalidInput("import directory " + allowed_dir.string() + " is not accessible: " + ec.message());
  fs::path joined = req.is_absolute() ? req : root / req;
  if (req.is_absolute() && !is_within(root, joined.lexically_normal()) &&
      !is_within(allowed_dir.lexically_normal(), joined.lexically_normal())) {
    throw InvalidInput("import path '" + requested + "' is outside the import directory " + root.string());
  }
  fs::path real = fs::canonical(joined, ec);
  if (ec) throw NotFound("import file '" + requested + "' not found in " + root.string());
  if (!is_within(root, real)) {
    throw InvalidInput("import path '" + requested + "' resolves (through a symlink) outside the import directory " +
                       root.string());
  }
  if (!fs::is_regular_file(real)) throw InvalidInput("import path '" + requested + "' is not a regular file");
  return real;
}

}  // namespace cellar::registry
