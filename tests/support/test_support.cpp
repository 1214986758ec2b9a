#include "support/test_support.h"

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace cellar::test {

std::filesystem::path refdata_dir() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("CELLAR_REFDATA"); env && *env) {
    return fs::is_directory(env) ? fs::path(env) : fs::path();
  }
  fs::path def = fs::path(CELLAR_SOURCE_DIR) / ".." / "shared" / "refdata";
  return fs::is_directory(def) ? fs::weakly_canonical(def) : fs::path();
}

std::filesystem::path cellar_binary() { return std::filesystem::path(CELLAR_BINARY_DIR) / "cellar"; }

TempDir::TempDir() {
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto p = std::filesystem::temp_directory_path() / ("cellar-test-" + std::to_string(rd()));
    if (std::filesystem::create_directory(p)) {
      path_ = p;
      return;
    }
  }
  throw std::runtime_error("could not create a temporary directory");
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace cellar::test
