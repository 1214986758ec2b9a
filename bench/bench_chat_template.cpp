// Chat-template rendering speed (the server renders once per request):
// build/bench_chat_template [--benchmark_filter=...]. Uses the reference
// templates from $CELLAR_REFDATA (or ../shared/refdata) when present.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tokenizer/chat_template.h"

namespace {

std::string load_template(const std::string& name) {
  const char* env = std::getenv("CELLAR_REFDATA");
  std::filesystem::path dir = env ? env : CELLAR_SOURCE_DIR "/../shared/refdata";
  std::ifstream in(dir / "templates" / name);
  if (!in) return std::string(cellar::kChatMlTemplate);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

nlohmann::ordered_json four_messages() {
  return nlohmann::ordered_json::parse(R"([
    {"role": "system", "content": "You are a helpful assistant."},
    {"role": "user", "content": "What is 2+2?"},
    {"role": "assistant", "content": "4"},
    {"role": "user", "content": "And 3+3? Explain briefly."}])");
}

void render(benchmark::State& state, const std::string& name) {
  cellar::ChatTemplate tmpl(load_template(name));
  auto messages = four_messages();
  cellar::ChatRenderOptions opts;
  opts.bos_token = "<s>";
  opts.eos_token = "</s>";
  for (auto _ : state) benchmark::DoNotOptimize(tmpl.render(messages, opts));
}

void BM_Llama31(benchmark::State& s) { render(s, "meta-llama-Llama-3.1-8B-Instruct.jinja"); }
void BM_Qwen25(benchmark::State& s) { render(s, "Qwen-Qwen2.5-7B-Instruct.jinja"); }
void BM_MistralNemo(benchmark::State& s) { render(s, "mistralai-Mistral-Nemo-Instruct-2407.jinja"); }
void BM_Phi35(benchmark::State& s) { render(s, "microsoft-Phi-3.5-mini-instruct.jinja"); }
void BM_ChatMl(benchmark::State& s) { render(s, "none"); }

void BM_ParseLlama31(benchmark::State& state) {
  std::string src = load_template("meta-llama-Llama-3.1-8B-Instruct.jinja");
  for (auto _ : state) benchmark::DoNotOptimize(cellar::jinja::Template::parse(src));
}

BENCHMARK(BM_Llama31);
BENCHMARK(BM_Qwen25);
BENCHMARK(BM_MistralNemo);
BENCHMARK(BM_Phi35);
BENCHMARK(BM_ChatMl);
BENCHMARK(BM_ParseLlama31);

}  // namespace

BENCHMARK_MAIN();
