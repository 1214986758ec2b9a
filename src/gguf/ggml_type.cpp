#include "gguf/ggml_type.h"

#include <array>
#include <cctype>
#include <stdexcept>

namespace cellar {
namespace {

struct Entry {
  GgmlType type;
  GgmlTypeInfo info;
};

// Block sizes and byte sizes from ggml's type_traits (ggml.c) and the block
// structs in ggml-common.h. QK_K = 256 for the k-quants.
constexpr std::array kTypes = {
    Entry{GgmlType::F32, {"F32", 1, 4, true}},
    Entry{GgmlType::F16, {"F16", 1, 2, true}},
    Entry{GgmlType::Q4_0, {"Q4_0", 32, 18, true}},
    Entry{GgmlType::Q4_1, {"Q4_1", 32, 20, true}},
    Entry{GgmlType::Q5_0, {"Q5_0", 32, 22, true}},
    Entry{GgmlType::Q5_1, {"Q5_1", 32, 24, true}},
    Entry{GgmlType::Q8_0, {"Q8_0", 32, 34, true}},
    Entry{GgmlType::Q8_1, {"Q8_1", 32, 36, false}},
    Entry{GgmlType::Q2_K, {"Q2_K", 256, 84, true}},
    Entry{GgmlType::Q3_K, {"Q3_K", 256, 110, true}},
    Entry{GgmlType::Q4_K, {"Q4_K", 256, 144, true}},
    Entry{GgmlType::Q5_K, {"Q5_K", 256, 176, true}},
    Entry{GgmlType::Q6_K, {"Q6_K", 256, 210, true}},
    Entry{GgmlType::Q8_K, {"Q8_K", 256, 292, false}},
    Entry{GgmlType::IQ2_XXS, {"IQ2_XXS", 256, 66, false}},
    Entry{GgmlType::IQ2_XS, {"IQ2_XS", 256, 74, false}},
    Entry{GgmlType::IQ3_XXS, {"IQ3_XXS", 256, 98, false}},
    Entry{GgmlType::IQ1_S, {"IQ1_S", 256, 50, false}},
    Entry{GgmlType::IQ4_NL, {"IQ4_NL", 32, 18, false}},
    Entry{GgmlType::IQ3_S, {"IQ3_S", 256, 110, false}},
    Entry{GgmlType::IQ2_S, {"IQ2_S", 256, 82, false}},
    Entry{GgmlType::IQ4_XS, {"IQ4_XS", 256, 136, false}},
    Entry{GgmlType::I8, {"I8", 1, 1, false}},
    Entry{GgmlType::I16, {"I16", 1, 2, false}},
    Entry{GgmlType::I32, {"I32", 1, 4, false}},
    Entry{GgmlType::I64, {"I64", 1, 8, false}},
    Entry{GgmlType::F64, {"F64", 1, 8, false}},
    Entry{GgmlType::IQ1_M, {"IQ1_M", 256, 56, false}},
    Entry{GgmlType::BF16, {"BF16", 1, 2, true}},
    Entry{GgmlType::TQ1_0, {"TQ1_0", 256, 54, false}},
    Entry{GgmlType::TQ2_0, {"TQ2_0", 256, 66, false}},
    Entry{GgmlType::MXFP4, {"MXFP4", 32, 17, false}},
};

}  // namespace

std::optional<GgmlTypeInfo> ggml_type_info(uint32_t id) {
  for (const auto& e : kTypes) {
    if (static_cast<uint32_t>(e.type) == id) return e.info;
  }
  return std::nullopt;
}

const GgmlTypeInfo& ggml_type_info(GgmlType t) {
  for (const auto& e : kTypes) {
    if (e.type == t) return e.info;
  }
  throw std::logic_error("ggml_type_info: type id not in table");
}

size_t ggml_row_size(GgmlType t, int64_t n) {
  const auto& info = ggml_type_info(t);
  return static_cast<size_t>(n / info.block_size) * info.type_size;
}

std::optional<GgmlType> ggml_type_from_name(std::string_view name) {
  for (const auto& e : kTypes) {
    if (e.info.name.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < name.size() && same; ++i) {
      same = std::toupper(static_cast<unsigned char>(name[i])) == e.info.name[i];
    }
    if (same) return e.type;
  }
  return std::nullopt;
}

}  // namespace cellar
