#include "registry/gguf_summary.h"

#include <map>

#include "gguf/gguf_file.h"

namespace cellar::registry {

std::string file_type_name(int64_t file_type) {
  // llama.cpp include/llama.h, enum llama_ftype (values 4-6 were removed upstream).
  static const std::map<int64_t, const char*> kNames = {
      {0, "F32"},     {1, "F16"},     {2, "Q4_0"},    {3, "Q4_1"},    {7, "Q8_0"},    {8, "Q5_0"},
      {9, "Q5_1"},    {10, "Q2_K"},   {11, "Q3_K_S"}, {12, "Q3_K_M"}, {13, "Q3_K_L"}, {14, "Q4_K_S"},
      {15, "Q4_K_M"}, {16, "Q5_K_S"}, {17, "Q5_K_M"}, {18, "Q6_K"},   {32, "BF16"},
  };
  auto it = kNames.find(file_type);
  return it == kNames.end() ? std::string() : std::string(it->second);
}

GgufSummary summarize_gguf(const GgufFile& file) {
  GgufSummary s;
  s.architecture = file.architecture();
  std::map<GgmlType, uint64_t> bytes_by_type;
  for (const auto& t : file.tensors()) {
    s.parameter_count += t.n_elements;
    bytes_by_type[t.type] += t.n_bytes;
  }
  if (auto ft = file.get_int("general.file_type")) s.quantization = file_type_name(*ft);
  if (s.quantization.empty()) {
    GgmlType dominant = GgmlType::F32;
    uint64_t most = 0;
    for (const auto& [type, bytes] : bytes_by_type) {
      if (bytes > most) {
        most = bytes;
        dominant = type;
      }
    }
    s.quantization = most > 0 ? std::string(ggml_type_info(dominant).name) : "none";
  }
  return s;
}

}  // namespace cellar::registry
