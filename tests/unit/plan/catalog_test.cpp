// Catalogue loading: the shipped files are complete and sourced, user files
// add or override entries, and bad entries are rejected with a message
// naming file, entry and field.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "plan/catalog.h"
#include "plan/data_dir.h"
#include "plan/nearest_names.h"
#include "support/test_support.h"

namespace cellar::plan {
namespace {

std::string write(const test::TempDir& dir, const std::string& name, const std::string& text) {
  auto p = dir / name;
  std::ofstream(p) << text;
  return p.string();
}

const char* kGoodGpu = R"(hardware:
  - name: my-gpu
    kind: gpu
    memory_gb: 16
    bandwidth_gb_per_s: 500
    fp16_tflops: 50
    power_w: 200
    price_usd: 900
    source: my datasheet
    date: 2025-01
)";

std::string load_error(const std::string& path) {
  Catalog c;
  try {
    load_catalog_file(path, c);
  } catch (const CatalogError& e) {
    return e.what();
  }
  return "";
}

TEST(ShippedCatalogue, HoldsTheAskedEntriesEachWithSourceAndDate) {
  auto c = load_catalog(find_data_dir(), {});
  for (const char* n : {"h100-sxm", "h100-pcie", "h200", "a100-40gb", "a100-80gb", "l40s", "rtx-4090",
                        "rtx-3090", "mi300x", "gaudi2", "gaudi3", "jetson-agx-orin-32gb",
                        "jetson-agx-orin-64gb", "apple-m2-ultra", "apple-m3-ultra", "cpu-ddr5-8ch",
                        "cpu-ddr5-12ch", "laptop-ddr5-32gb"}) {
    const auto& h = c.hardware_named(n);
    EXPECT_FALSE(h.source.empty()) << n;
    EXPECT_FALSE(h.date.empty()) << n;
  }
  for (const char* n : {"llama-3-8b", "llama-3-70b", "llama-3.1-8b", "llama-3.1-70b", "llama-3.2-1b",
                        "llama-3.2-3b", "mistral-7b", "qwen2.5-0.5b", "qwen2.5-1.5b", "qwen2.5-3b",
                        "qwen2.5-7b", "qwen2.5-14b", "qwen2.5-32b", "qwen2.5-72b", "tinyllama-1.1b",
                        "chatglm3-6b"}) {
    const auto& m = c.model_named(n);
    EXPECT_FALSE(m.licence.empty()) << n;
    EXPECT_FALSE(m.source.empty()) << n;
    if (!m.cloud_equivalent.empty()) {
      EXPECT_NO_THROW(c.cloud_named(m.cloud_equivalent)) << n;
    }
  }
  EXPECT_GE(c.cloud.size(), 5u);
  for (const auto& p : c.cloud) EXPECT_FALSE(p.date.empty()) << p.name;
}

TEST(Catalogue, UserFileAddsAndOverridesEntries) {
  test::TempDir dir;
  auto extra = write(dir, "mine.yaml", std::string(kGoodGpu) + R"(  - name: RTX-4090
    kind: gpu
    memory_gb: 24
    bandwidth_gb_per_s: 1008
    fp16_tflops: 165
    power_w: 450
    price_usd: 1200
    source: our purchase order
    date: 2026-01
)");
  auto c = load_catalog(find_data_dir(), {extra});
  EXPECT_EQ(c.hardware_named("my-gpu").bandwidth_gb_per_s, 500);
  EXPECT_EQ(c.hardware_named("rtx-4090").price_usd, 1200);  // case-insensitive override
  int count = 0;
  for (const auto& h : c.hardware) count += h.name == "rtx-4090" || h.name == "RTX-4090";
  EXPECT_EQ(count, 1);
}

TEST(Catalogue, ZeroBandwidthIsRejectedNamingFileEntryAndField) {
  test::TempDir dir;
  std::string text = kGoodGpu;
  text.replace(text.find("500"), 3, "0");
  auto err = load_error(write(dir, "bad.yaml", text));
  EXPECT_NE(err.find("bad.yaml"), std::string::npos) << err;
  EXPECT_NE(err.find("'my-gpu'"), std::string::npos) << err;
  EXPECT_NE(err.find("bandwidth_gb_per_s"), std::string::npos) << err;
  EXPECT_NE(err.find("greater than zero"), std::string::npos) << err;
}

TEST(Catalogue, MissingSourceAndNonNumbersAreRejected) {
  test::TempDir dir;
  std::string no_source = kGoodGpu;
  no_source.erase(no_source.find("    source"), std::string("    source: my datasheet\n").size());
  EXPECT_NE(load_error(write(dir, "a.yaml", no_source)).find("field 'source': is missing"), std::string::npos);
  std::string text_number = kGoodGpu;
  text_number.replace(text_number.find("16"), 2, "lots");
  EXPECT_NE(load_error(write(dir, "b.yaml", text_number)).find("must be a number"), std::string::npos);
  EXPECT_NE(load_error(write(dir, "c.yaml", "hardware: [unclosed")).find("not valid YAML"),
            std::string::npos);
  EXPECT_NE(load_error(write(dir, "d.yaml", "colour: blue\n")).find("expected a map"), std::string::npos);
  EXPECT_NE(load_error((dir / "absent.yaml").string()).find("not found"), std::string::npos);
}

TEST(Catalogue, ModelShapeMustBeConsistent) {
  test::TempDir dir;
  auto err = load_error(write(dir, "m.yaml", R"(models:
  - name: odd
    layers: 2
    hidden: 64
    heads: 8
    kv_heads: 3
    ffn: 128
    vocab: 100
    context: 512
    licence: none
    source: test
    date: 2026-01
)"));
  EXPECT_NE(err.find("kv_heads"), std::string::npos) << err;
  EXPECT_NE(err.find("must divide heads"), std::string::npos) << err;
}

TEST(NearestNames, SuggestsTyposAndSubstrings) {
  std::vector<std::string> known = {"h100-sxm", "h100-pcie", "h200", "rtx-4090", "rtx-3090", "l40s"};
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("H100-SXM", "h100-sxm"), 0u);
  EXPECT_EQ(nearest_names("h100-sxn", known).front(), "h100-sxm");
  EXPECT_EQ(nearest_names("4090", known).front(), "rtx-4090");
  auto msg = unknown_name_message("hardware", "rtx4090", known, "see --list");
  EXPECT_NE(msg.find("did you mean: rtx-4090"), std::string::npos) << msg;
}

TEST(Catalogue, UnknownModelSuggestsNearestNames) {
  auto c = load_catalog(find_data_dir(), {});
  try {
    c.model_named("lama-3-8b");
    FAIL() << "expected CatalogError";
  } catch (const CatalogError& e) {
    EXPECT_NE(std::string(e.what()).find("llama-3-8b"), std::string::npos) << e.what();
  }
}

TEST(DataDir, EnvironmentVariableComesFirstAndMissingDirsAreListed) {
  test::TempDir dir;
  write(dir, "hardware.yaml", kGoodGpu);
  ::setenv("CELLAR_DATA_DIR", dir.path().c_str(), 1);
  EXPECT_EQ(find_data_dir(), std::filesystem::weakly_canonical(dir.path()));
  auto candidates = data_dir_candidates();
  EXPECT_EQ(candidates.front(), dir.path());
  ::unsetenv("CELLAR_DATA_DIR");
  EXPECT_GE(data_dir_candidates().size(), 3u);  // exe/../data, exe/../share/cellar/data, source tree
}

}  // namespace
}  // namespace cellar::plan
