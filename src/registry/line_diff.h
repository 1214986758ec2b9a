#pragma once
// Unified line diff (the format of `diff -u`), for `cellar template diff`.
// Longest-common-subsequence over lines; templates are small, so the
// quadratic table is fine up to the size cap, beyond which the whole text is
// shown as replaced.
#include <string>
#include <string_view>

namespace cellar::registry {

// Empty when the texts are equal. `context` lines surround each change.
std::string unified_diff(std::string_view a, std::string_view b, std::string_view label_a,
                         std::string_view label_b, int context = 3);

}  // namespace cellar::registry
