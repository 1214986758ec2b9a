#pragma once
// Files the admin HTTP API may import: only regular files inside one allowed
// directory. Rejects ".." components, absolute paths elsewhere and symlinks
// (anywhere on the path) that resolve outside the directory.
#include <filesystem>
#include <string>

namespace cellar::registry {

// The canonical path of `requested` (relative to `allowed_dir`, or absolute
// inside it). Throws InvalidInput when rejected, NotFound when it does not exist.
std::filesystem::path resolve_import_path(const std::filesystem::path& allowed_dir, const std::string& requested);

}  // namespace cellar::registry
