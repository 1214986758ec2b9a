#include <gtest/gtest.h>

#include <fstream>

#include "registry/errors.h"
#include "registry/import_path.h"
#include "support/test_support.h"

namespace cellar::registry {
namespace {

namespace fs = std::filesystem;

class ImportPathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(allowed() / "sub");
    std::ofstream(allowed() / "model.gguf") << "x";
    std::ofstream(allowed() / "sub" / "deep.gguf") << "x";
    std::ofstream(tmp_ / "secret.gguf") << "x";
  }
  fs::path allowed() const { return tmp_ / "imports"; }
  cellar::test::TempDir tmp_;
};

TEST_F(ImportPathTest, AcceptsFilesInside) {
  auto root = fs::canonical(allowed());
  EXPECT_EQ(resolve_import_path(allowed(), "model.gguf"), root / "model.gguf");
  EXPECT_EQ(resolve_import_path(allowed(), "sub/deep.gguf"), root / "sub" / "deep.gguf");
  EXPECT_EQ(resolve_import_path(allowed(), "./sub/./deep.gguf"), root / "sub" / "deep.gguf");
  EXPECT_EQ(resolve_import_path(allowed(), (root / "model.gguf").string()), root / "model.gguf");
}

TEST_F(ImportPathTest, RejectsDotDot) {
  for (const char* p : {"../secret.gguf", "sub/../../secret.gguf", "sub/../model.gguf", ".."}) {
    EXPECT_THROW(resolve_import_path(allowed(), p), InvalidInput) << p;
  }
}

TEST_F(ImportPathTest, RejectsAbsolutePathsElsewhere) {
  EXPECT_THROW(resolve_import_path(allowed(), (tmp_ / "secret.gguf").string()), InvalidInput);
  EXPECT_THROW(resolve_import_path(allowed(), "/etc/passwd"), InvalidInput);
  // A sibling directory sharing the prefix "imports" is still outside.
  fs::create_directories(tmp_ / "imports-evil");
  std::ofstream(tmp_ / "imports-evil" / "m.gguf") << "x";
  EXPECT_THROW(resolve_import_path(allowed(), (tmp_ / "imports-evil" / "m.gguf").string()), InvalidInput);
}

TEST_F(ImportPathTest, RejectsSymlinksLeadingOut) {
  fs::create_symlink(tmp_ / "secret.gguf", allowed() / "link.gguf");
  fs::create_directory_symlink(tmp_.path(), allowed() / "escape");
  EXPECT_THROW(resolve_import_path(allowed(), "link.gguf"), InvalidInput);
  EXPECT_THROW(resolve_import_path(allowed(), "escape/secret.gguf"), InvalidInput);
  // A symlink that stays inside is fine.
  fs::create_symlink(allowed() / "model.gguf", allowed() / "alias.gguf");
  EXPECT_EQ(resolve_import_path(allowed(), "alias.gguf"), fs::canonical(allowed()) / "model.gguf");
}

TEST_F(ImportPathTest, MissingEmptyAndDirectories) {
  EXPECT_THROW(resolve_import_path(allowed(), "nope.gguf"), NotFound);
  EXPECT_THROW(resolve_import_path(allowed(), ""), InvalidInput);
  EXPECT_THROW(resolve_import_path(allowed(), "sub"), InvalidInput);
  EXPECT_THROW(resolve_import_path(allowed(), std::string("a\0b", 3)), InvalidInput);
}

}  // namespace
}  // namespace cellar::registry
