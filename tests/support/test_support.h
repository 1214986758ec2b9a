#pragma once
// Helpers shared by every test binary: where the reference data lives and
// scratch directories that clean up after themselves.
#include <filesystem>
#include <string>

namespace cellar::test {

// Folder of ../shared/refdata (or $CELLAR_REFDATA); empty path when absent.
std::filesystem::path refdata_dir();

// Path of the built `cellar` binary.
std::filesystem::path cellar_binary();

// A fresh temporary directory removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& p);

}  // namespace cellar::test

// Skip the current test with a message naming what is missing.
#define CELLAR_REQUIRE_REFDATA()                                                     \
  do {                                                                               \
    if (::cellar::test::refdata_dir().empty())                                       \
      GTEST_SKIP() << "reference data not found: set CELLAR_REFDATA or place it at " \
                      "../shared/refdata";                                           \
  } while (0)
