#include "plan/data_dir.h"

#include <cstdlib>
#include <system_error>

#include "plan/catalog.h"

namespace cellar::plan {

std::vector<std::filesystem::path> data_dir_candidates() {
  namespace fs = std::filesystem;
  std::vector<fs::path> out;
  if (const char* env = std::getenv("CELLAR_DATA_DIR"); env && *env) out.emplace_back(env);
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    out.push_back(exe.parent_path() / ".." / "data");
    out.push_back(exe.parent_path() / ".." / "share" / "cellar" / "data");
  }
  // CMake compiles with absolute source paths, so this is <repo>/data.
  out.push_back(fs::path(__FILE__).parent_path().parent_path().parent_path() / "data");
  return out;
}

std::filesystem::path find_data_dir() {
  auto candidates = data_dir_candidates();
  std::string looked;
  for (const auto& dir : candidates) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(dir / "hardware.yaml", ec)) {
      return std::filesystem::weakly_canonical(dir, ec);
    }
    looked += "\n  " + dir.lexically_normal().string();
  }
  throw CatalogError(
      "cannot find the planner's data files (hardware.yaml, models.yaml, cloud-prices.yaml); "
      "set CELLAR_DATA_DIR to the folder holding them. Looked in:" +
      looked);
}

}  // namespace cellar::plan
