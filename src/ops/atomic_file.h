#pragma once
// State files written so a crash mid-write leaves either the old or the new
// content, never half of one (write a sibling temp file, fsync, rename).
#include <filesystem>
#include <optional>
#include <string>

namespace cellar::ops {

void write_file_atomic(const std::filesystem::path& file, const std::string& content);

// Whole file, or nullopt when it does not exist. Throws when it exists but cannot be read.
std::optional<std::string> read_file_if_exists(const std::filesystem::path& file);

}  // namespace cellar::ops
