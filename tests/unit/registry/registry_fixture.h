#pragma once
// Shared helpers for the registry tests: tiny valid GGUF files made with
// GgufWriter, and a fixture owning a fresh registry home.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>

#include "gguf/gguf_writer.h"
#include "registry/catalog.h"
#include "support/test_support.h"

namespace cellar::registry::test {

// A small llama-shaped GGUF whose tensor bytes depend on `seed`, so different
// seeds give different blobs. `n_floats` sizes the one F32 tensor.
inline void write_tiny_gguf(const std::filesystem::path& path, uint32_t seed, int64_t n_floats = 64,
                            GgmlType type = GgmlType::F32) {
  GgufWriter w;
  w.set_string("general.architecture", "llama");
  w.set_string("general.name", "tiny-" + std::to_string(seed));
  w.set_u32("llama.block_count", 1);
  w.add_tensor("token_embd.weight", type, {n_floats}, [seed](uint8_t* dst, size_t n) {
    for (size_t i = 0; i < n; ++i) dst[i] = static_cast<uint8_t>((i * 31 + seed * 7) & 0x7f);
  });
  w.add_tensor("output_norm.weight", GgmlType::F32, {32}, [](uint8_t* dst, size_t n) { std::memset(dst, 0, n); });
  w.write(path.string());
}

inline Change actor(const std::string& who, std::optional<std::string> reason = std::nullopt) {
  return Change{who, std::move(reason)};
}

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override { catalog_ = std::make_unique<Catalog>(home()); }
  std::filesystem::path home() const { return tmp_ / "home"; }
  std::filesystem::path file(const std::string& name) const { return tmp_ / name; }
  std::filesystem::path tiny(const std::string& name, uint32_t seed) const {
    write_tiny_gguf(file(name), seed);
    return file(name);
  }
  Catalog& catalog() { return *catalog_; }

  cellar::test::TempDir tmp_;
  std::unique_ptr<Catalog> catalog_;
};

}  // namespace cellar::registry::test
