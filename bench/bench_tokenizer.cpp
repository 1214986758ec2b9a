// Tokenizer speed on ~100 KB of mixed text (prose, code, CJK, emoji):
// build/bench_tokenizer [--benchmark_filter=...]. Uses the vocabularies in
// $CELLAR_REFDATA/vocab (or ../shared/refdata/vocab); skips when absent.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "gguf/gguf_file.h"
#include "tokenizer/stream_detokenizer.h"
#include "tokenizer/tokenizer.h"

namespace {

std::filesystem::path vocab_dir() {
  const char* env = std::getenv("CELLAR_REFDATA");
  return std::filesystem::path(env ? env : CELLAR_SOURCE_DIR "/../shared/refdata") / "vocab";
}

std::unique_ptr<cellar::Tokenizer> load(const std::string& name) {
  const auto path = vocab_dir() / name;
  if (!std::filesystem::exists(path)) return nullptr;
  return cellar::Tokenizer::from_gguf(*cellar::GgufFile::open(path.string()));
}

// The extra test vectors repeated to 100 KB: every script and edge case they cover.
std::string sample_text() {
  std::ifstream in(vocab_dir() / "ggml-vocab-gpt-2.extra.inp", std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string unit = ss.str().empty() ? "The quick brown fox jumps over the lazy dog. 你好，世界！ 😀\n" : ss.str();
  std::string text;
  while (text.size() < 100 * 1024) text += unit;
  return text;
}

void encode(benchmark::State& state, const std::string& vocab) {
  auto tok = load(vocab);
  if (!tok) {
    state.SkipWithError("vocabulary not found in refdata");
    return;
  }
  const std::string text = sample_text();
  for (auto _ : state) benchmark::DoNotOptimize(tok->encode(text, false, false));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(text.size()));
}

void stream_decode(benchmark::State& state, const std::string& vocab) {
  auto tok = load(vocab);
  if (!tok) {
    state.SkipWithError("vocabulary not found in refdata");
    return;
  }
  const auto ids = tok->encode(sample_text(), false, false);
  for (auto _ : state) {
    cellar::StreamDetokenizer stream(*tok);
    size_t n = 0;
    for (int32_t id : ids) n += stream.push(id).size();
    benchmark::DoNotOptimize(n + stream.flush().size());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(ids.size()));
}

void load_vocab(benchmark::State& state, const std::string& vocab) {
  const auto path = vocab_dir() / vocab;
  if (!std::filesystem::exists(path)) {
    state.SkipWithError("vocabulary not found in refdata");
    return;
  }
  auto file = cellar::GgufFile::open(path.string());
  for (auto _ : state) benchmark::DoNotOptimize(cellar::Tokenizer::from_gguf(*file));
}

BENCHMARK_CAPTURE(encode, spm_llama, std::string("ggml-vocab-llama-spm.gguf"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(encode, bpe_gpt2, std::string("ggml-vocab-gpt-2.gguf"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(stream_decode, spm_llama, std::string("ggml-vocab-llama-spm.gguf"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(stream_decode, bpe_gpt2, std::string("ggml-vocab-gpt-2.gguf"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(load_vocab, spm_llama, std::string("ggml-vocab-llama-spm.gguf"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(load_vocab, bpe_gpt2, std::string("ggml-vocab-gpt-2.gguf"))->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
