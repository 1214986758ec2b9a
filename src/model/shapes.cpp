#include "model/shapes.h"

#include <array>

namespace cellar {
namespace {

// Values from each model's config.json on its Hugging Face model card.
constexpr std::array kShapes = {
    ModelShape{"tiny", "llama", "llama", 1024, 512, 256, 2, 4, 2, 512, 10000.f, 1e-5f, false},
    ModelShape{"tiny-qwen2", "qwen2", "gpt2", 1024, 512, 256, 2, 4, 2, 512, 1000000.f, 1e-6f, true},
    ModelShape{"tinyllama-1.1b", "llama", "llama", 32000, 2048, 2048, 22, 32, 4, 5632, 10000.f, 1e-5f, false},
    ModelShape{"llama-2-7b", "llama", "llama", 32000, 4096, 4096, 32, 32, 32, 11008, 10000.f, 1e-5f, false},
    ModelShape{"mistral-7b", "llama", "llama", 32000, 32768, 4096, 32, 32, 8, 14336, 1000000.f, 1e-5f, false},
    ModelShape{"llama-3-8b", "llama", "gpt2", 128256, 8192, 4096, 32, 32, 8, 14336, 500000.f, 1e-5f, false},
    ModelShape{"llama-3.2-1b", "llama", "gpt2", 128256, 131072, 2048, 16, 32, 8, 8192, 500000.f, 1e-5f, true},
    ModelShape{"llama-3.2-3b", "llama", "gpt2", 128256, 131072, 3072, 28, 24, 8, 8192, 500000.f, 1e-5f, true},
    ModelShape{"qwen2.5-0.5b", "qwen2", "gpt2", 151936, 32768, 896, 24, 14, 2, 4864, 1000000.f, 1e-6f, true},
    ModelShape{"qwen2.5-1.5b", "qwen2", "gpt2", 151936, 32768, 1536, 28, 12, 2, 8960, 1000000.f, 1e-6f, true},
    ModelShape{"qwen2.5-7b", "qwen2", "gpt2", 152064, 32768, 3584, 28, 28, 4, 18944, 1000000.f, 1e-6f, false},
};

}  // namespace

std::optional<ModelShape> find_shape(std::string_view name) {
  for (const auto& s : kShapes) {
    if (s.name == name) return s;
  }
  return std::nullopt;
}

std::vector<std::string_view> shape_names() {
  std::vector<std::string_view> out;
  for (const auto& s : kShapes) out.push_back(s.name);
  return out;
}

}  // namespace cellar
