#include "model/quant_recipe.h"

#include <array>
#include <cctype>

namespace cellar {
namespace {

constexpr std::array kFileTypes = {
    FileType{"F32", GgmlType::F32, 0},     FileType{"F16", GgmlType::F16, 1},
    FileType{"Q4_0", GgmlType::Q4_0, 2},   FileType{"Q4_1", GgmlType::Q4_1, 3},
    FileType{"Q8_0", GgmlType::Q8_0, 7},   FileType{"Q5_0", GgmlType::Q5_0, 8},
    FileType{"Q5_1", GgmlType::Q5_1, 9},   FileType{"Q2_K", GgmlType::Q2_K, 10},
    FileType{"Q3_K_S", GgmlType::Q3_K, 11}, FileType{"Q3_K_M", GgmlType::Q3_K, 12},
    FileType{"Q3_K_L", GgmlType::Q3_K, 13}, FileType{"Q4_K_S", GgmlType::Q4_K, 14},
    FileType{"Q4_K_M", GgmlType::Q4_K, 15}, FileType{"Q5_K_S", GgmlType::Q5_K, 16},
    FileType{"Q5_K_M", GgmlType::Q5_K, 17}, FileType{"Q6_K", GgmlType::Q6_K, 18},
    FileType{"BF16", GgmlType::BF16, 32},
};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

// llama.cpp gives a few layers more bits: the first and last eighth and every third in between.
bool use_more_bits(int i, int n) { return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2; }

int layer_of(const std::string& name) {
  if (name.rfind("blk.", 0) != 0) return -1;
  return std::atoi(name.c_str() + 4);
}

bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

GgmlType recipe_type(std::string_view ft, GgmlType base, const std::string& name, const RecipeModel& m) {
  const int il = layer_of(name), n_layer = m.n_layer;
  // The output matrix (or the embedding standing in for it) is the most sensitive: Q6_K.
  if (name == "output.weight" || (m.tied_embeddings && name == "token_embd.weight")) {
    return base == GgmlType::Q8_0 ? GgmlType::Q8_0 : GgmlType::Q6_K;
  }
  if (contains(name, "attn_v.weight")) {
    if (ft == "Q2_K") return m.n_gqa >= 4 ? GgmlType::Q4_K : GgmlType::Q3_K;
    if (ft == "Q3_K_M") return il < 2 ? GgmlType::Q5_K : GgmlType::Q4_K;
    if (ft == "Q3_K_L") return GgmlType::Q5_K;
    if (ft == "Q4_K_M" || ft == "Q5_K_M") return use_more_bits(il, n_layer) ? GgmlType::Q6_K : base;
    if (ft == "Q4_K_S") return il < 4 ? GgmlType::Q5_K : base;
  }
  if (contains(name, "ffn_down.weight")) {
    if (ft == "Q2_K") return GgmlType::Q3_K;
    if (ft == "Q3_K_M") return GgmlType::Q4_K;
    if (ft == "Q3_K_L") return GgmlType::Q5_K;
    if (ft == "Q4_K_M" || ft == "Q5_K_M") return use_more_bits(il, n_layer) ? GgmlType::Q6_K : base;
    if (ft == "Q4_K_S") return il < n_layer / 8 ? GgmlType::Q5_K : base;
  }
  if (contains(name, "attn_output.weight")) {
    if (ft == "Q2_K") return GgmlType::Q3_K;
    if (ft == "Q3_K_M") return GgmlType::Q4_K;
    if (ft == "Q3_K_L") return GgmlType::Q5_K;
  }
  return base;
}

// k-quants need rows of 256; llama.cpp falls back to a legacy type of similar size.
GgmlType fit_row(GgmlType t, int64_t cols) {
  if (cols % ggml_type_info(t).block_size == 0) return t;
  switch (t) {
    case GgmlType::Q2_K:
    case GgmlType::Q3_K:
    case GgmlType::Q4_K: t = GgmlType::Q5_0; break;
    case GgmlType::Q5_K: t = GgmlType::Q5_1; break;
    case GgmlType::Q6_K: t = GgmlType::Q8_0; break;
    default: break;
  }
  return cols % ggml_type_info(t).block_size == 0 ? t : GgmlType::F16;
}

}  // namespace

std::optional<FileType> find_file_type(std::string_view name) {
  for (const auto& ft : kFileTypes) {
    if (iequals(ft.name, name)) return ft;
  }
  return std::nullopt;
}

std::vector<std::string_view> file_type_names() {
  std::vector<std::string_view> out;
  for (const auto& ft : kFileTypes) out.push_back(ft.name);
  return out;
}

GgmlType tensor_type_for(const FileType& ft, const std::string& name, const RecipeModel& m, int64_t cols) {
  if (ft.base == GgmlType::F32 || ft.base == GgmlType::F16 || ft.base == GgmlType::BF16) {
    return ft.base;
  }
  return fit_row(recipe_type(ft.name, ft.base, name, m), cols);
}

}  // namespace cellar
