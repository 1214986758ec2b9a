#pragma once
// Where the shipped catalogues live at run time. Searched in order:
//   1. $CELLAR_DATA_DIR
//   2. <directory of the cellar executable>/../data
//   3. <directory of the cellar executable>/../share/cellar/data
//   4. the source tree's data/ (fixed when this file was compiled)
// The first directory holding hardware.yaml wins.
#include <filesystem>
#include <vector>

namespace cellar::plan {

// The candidates above, in search order (missing entries skipped).
std::vector<std::filesystem::path> data_dir_candidates();

// The first candidate holding hardware.yaml; CatalogError listing every place
// looked at when none does.
std::filesystem::path find_data_dir();

}  // namespace cellar::plan
