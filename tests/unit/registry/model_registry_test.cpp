#include <gtest/gtest.h>

#include <fstream>

#include "gguf/gguf_file.h"

#include "registry/deployment_registry.h"
#include "registry/gguf_summary.h"
#include "registry/model_registry.h"
#include "registry/sha256.h"
#include "registry_fixture.h"

namespace cellar::registry::test {
namespace {

class ModelRegistryTest : public RegistryTest {
 protected:
  ImportResult import(const std::filesystem::path& f, const std::string& name, bool copy = false) {
    ImportRequest req;
    req.file = f;
    req.name = name;
    req.staging.allow_link = !copy;
    return ModelRegistry(catalog()).import_file(req, actor("ann"));
  }
  int count_files(const std::string& prefix) {
    int n = 0;
    for (const auto& e : std::filesystem::directory_iterator(home() / "blobs")) {
      n += e.path().filename().string().rfind(prefix, 0) == 0;
    }
    return n;
  }
};

TEST_F(ModelRegistryTest, ImportRecordsVersionWithFacts) {
  auto f = tiny("a.gguf", 1);
  auto r = import(f, "llama");
  const ModelVersion& v = r.version;
  EXPECT_EQ(v.label(), "llama:1");
  EXPECT_EQ(v.architecture, "llama");
  EXPECT_EQ(v.parameter_count, 64 + 32);
  EXPECT_EQ(v.quantization, "F32");
  EXPECT_EQ(v.size_bytes, std::filesystem::file_size(f));
  EXPECT_EQ(v.sha256, sha256_hex(cellar::test::read_file(f)));
  EXPECT_EQ(v.created_by, "ann");
  EXPECT_TRUE(r.linked);
  EXPECT_EQ(cellar::test::read_file(ModelRegistry(catalog()).blob_path(v)), cellar::test::read_file(f));
  EXPECT_EQ(ModelRegistry(catalog()).get({"llama", std::nullopt}).id, v.id);
}

TEST_F(ModelRegistryTest, VersionsAutoIncrementPerName) {
  EXPECT_EQ(import(tiny("a.gguf", 1), "a").version.version, 1);
  EXPECT_EQ(import(tiny("b.gguf", 2), "a").version.version, 2);
  EXPECT_EQ(import(tiny("c.gguf", 3), "b").version.version, 1);
  EXPECT_EQ(import(tiny("d.gguf", 4), "a", true).version.version, 3);
  EXPECT_EQ(ModelRegistry(catalog()).get({"a", std::nullopt}).version, 3);
  EXPECT_EQ(ModelRegistry(catalog()).list("a").size(), 3u);
}

TEST_F(ModelRegistryTest, IdenticalBytesReuseTheBlob) {
  auto f = tiny("a.gguf", 1);
  std::filesystem::copy_file(f, file("copy.gguf"));
  auto first = import(f, "x", true);
  auto second = import(file("copy.gguf"), "y", true);
  EXPECT_FALSE(first.blob_reused);
  EXPECT_TRUE(second.blob_reused);
  EXPECT_EQ(first.version.sha256, second.version.sha256);
  EXPECT_EQ(count_files("sha256-"), 1);
  EXPECT_EQ(count_files(".tmp-"), 0);
}

TEST_F(ModelRegistryTest, CopyIsIndependentOfTheSource) {
  auto f = tiny("a.gguf", 1);
  auto r = import(f, "x", true);
  EXPECT_FALSE(r.linked);
  std::string before = cellar::test::read_file(f);
  std::ofstream(f, std::ios::binary | std::ios::trunc) << "overwritten";
  EXPECT_EQ(cellar::test::read_file(ModelRegistry(catalog()).blob_path(r.version)), before);
}

TEST_F(ModelRegistryTest, SymlinkedSourceIsStoredAsTheFileItself) {
  auto f = tiny("real.gguf", 1);
  std::filesystem::create_symlink(f, file("alias.gguf"));
  auto r = import(file("alias.gguf"), "x");
  auto blob = ModelRegistry(catalog()).blob_path(r.version);
  EXPECT_FALSE(std::filesystem::is_symlink(blob));
  EXPECT_EQ(cellar::test::read_file(blob), cellar::test::read_file(f));
}

TEST_F(ModelRegistryTest, InvalidFilesLeaveNothingBehind) {
  std::ofstream(file("junk.gguf"), std::ios::binary) << "GGUF but not really";
  EXPECT_THROW(import(file("junk.gguf"), "x"), InvalidInput);
  EXPECT_THROW(import(file("missing.gguf"), "x"), InvalidInput);
  EXPECT_THROW(import(tiny("a.gguf", 1), "bad name"), InvalidInput);
  EXPECT_TRUE(ModelRegistry(catalog()).list().empty());
  EXPECT_EQ(count_files("sha256-"), 0);
  EXPECT_EQ(count_files(".tmp-"), 0);
  EXPECT_TRUE(catalog().audit().list({}).empty());
}

TEST_F(ModelRegistryTest, DeleteKeepsNumbersAndCollectsUnusedBlobs) {
  ModelRegistry models(catalog());
  auto v1 = import(tiny("a.gguf", 1), "m").version;
  auto v2 = import(tiny("b.gguf", 2), "m").version;
  EXPECT_THROW(models.remove({"m", std::nullopt}, actor("ann")), InvalidInput);
  models.remove({"m", 1}, actor("ann", "bad quant"));
  EXPECT_FALSE(std::filesystem::exists(models.blob_path(v1)));
  EXPECT_TRUE(std::filesystem::exists(models.blob_path(v2)));
  EXPECT_THROW(models.get({"m", 1}), NotFound);
  EXPECT_EQ(models.list("m").size(), 1u);
  EXPECT_EQ(models.list("m", true).size(), 2u);
  EXPECT_EQ(import(tiny("c.gguf", 3), "m").version.version, 3);  // 1 is never reused
  auto last = catalog().audit().list({}).back();
  EXPECT_EQ(last.action, "model.import");
  EXPECT_EQ(catalog().audit().list({std::nullopt, "model:m:1", std::nullopt}).back().action, "model.delete");
}

TEST_F(ModelRegistryTest, DeployedVersionCannotBeDeleted) {
  import(tiny("a.gguf", 1), "m");
  DeploymentRegistry(catalog()).deploy({"prod", {"m", 1}, std::nullopt, nlohmann::json::object()}, actor("ann"));
  try {
    ModelRegistry(catalog()).remove({"m", 1}, actor("ann"));
    FAIL();
  } catch (const Conflict& e) {
    EXPECT_NE(std::string(e.what()).find("prod"), std::string::npos);
  }
}

TEST_F(ModelRegistryTest, GarbageCollectionRemovesOrphansOnly) {
  auto v = import(tiny("a.gguf", 1), "m").version;
  // An orphan left by a crash between publishing a blob and committing its row.
  std::filesystem::path orphan = home() / "blobs" / ("sha256-" + std::string(64, 'a'));
  std::ofstream(orphan) << "x";
  EXPECT_EQ(catalog().collect_garbage(), 1);
  EXPECT_FALSE(std::filesystem::exists(orphan));
  EXPECT_TRUE(std::filesystem::exists(ModelRegistry(catalog()).blob_path(v)));
}

TEST(GgufSummary, NamesFileTypeOrDominantTensorType) {
  cellar::test::TempDir tmp;
  write_tiny_gguf(tmp / "q.gguf", 1, 4096, GgmlType::Q8_0);
  auto s = summarize_gguf(*GgufFile::open((tmp / "q.gguf").string()));
  EXPECT_EQ(s.quantization, "Q8_0");
  EXPECT_EQ(s.parameter_count, 4096 + 32);
  EXPECT_EQ(file_type_name(15), "Q4_K_M");
  EXPECT_EQ(file_type_name(999), "");
}

}  // namespace
}  // namespace cellar::registry::test
