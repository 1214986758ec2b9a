#pragma once
#include <string>

namespace cellar {

// Whole file as bytes; std::runtime_error naming the path when it cannot be read.
std::string read_file_or_throw(const std::string& path);

}  // namespace cellar
