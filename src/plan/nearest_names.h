#pragma once
// "Did you mean ...?" for names typed on the command line.
#include <string>
#include <string_view>
#include <vector>

namespace cellar::plan {

// Levenshtein distance, case-insensitive.
size_t edit_distance(std::string_view a, std::string_view b);

// Up to `limit` of `known`, closest first; names sharing a prefix/substring
// with `wanted` rank as close as a one-letter typo.
std::vector<std::string> nearest_names(std::string_view wanted,
                                       const std::vector<std::string>& known, size_t limit = 3);

// "unknown <what> 'x'; did you mean: a, b, c? (see <where>)".
std::string unknown_name_message(std::string_view what, std::string_view wanted,
                                 const std::vector<std::string>& known, std::string_view where);

}  // namespace cellar::plan
