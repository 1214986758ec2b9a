// `cellar perplexity`: how well the model predicts a text, the way llama.cpp's
// perplexity tool measures it (so numbers are comparable): the text is cut
// into windows of `ctx` tokens, each window starts with BOS, and only the
// second half of each window is scored, so every scored token has at least
// ctx/2 tokens of context. PPL = exp(mean negative log-likelihood).
#include <cmath>
#include <cstdio>

#include "cli/cli_common.h"
#include "cli/command.h"
#include "model/context.h"
#include "util/file_util.h"

namespace cellar::cli {
namespace {

struct PerplexityArgs {
  std::string model, file;
  int ctx = 512, threads = 0;
  std::string kv_type = "f16";
};

// Log-softmax of `target` in `logits`, in double for stable sums over long texts.
double log_prob(std::span<const float> logits, int32_t target) {
  float mx = logits[0];
  for (float l : logits) mx = std::max(mx, l);
  double sum = 0;
  for (float l : logits) sum += std::exp(static_cast<double>(l) - mx);
  return static_cast<double>(logits[target]) - mx - std::log(sum);
}

int run_perplexity(const PerplexityArgs& a) {
  LoadedModel lm = load_model(a.model);
  const int n_ctx = resolve_context(*lm.model, a.ctx, a.ctx);
  if (n_ctx < 16) throw UsageError("context must be at least 16 tokens");
  auto tokens = lm.tokenizer->encode(read_file_or_throw(a.file), false, false);
  const size_t n_chunks = tokens.size() / n_ctx;
  if (n_chunks == 0) {
    throw UsageError("the text has " + std::to_string(tokens.size()) + " tokens; perplexity needs at least " +
                     std::to_string(n_ctx) + " (one window of -c tokens)");
  }
  InferenceContext ictx(lm.model, {.n_ctx = n_ctx, .n_slots = 1, .n_threads = resolve_threads(a.threads),
                                   .max_batch = 512, .kv_type = resolve_kv_type(a.kv_type)});
  const int32_t bos = lm.tokenizer->bos_id();
  const size_t n_vocab = static_cast<size_t>(lm.model->hparams().n_vocab);
  double nll = 0, nll2 = 0;
  size_t count = 0;
  for (size_t c = 0; c < n_chunks; ++c) {
    std::vector<BatchToken> batch(n_ctx);
    for (int i = 0; i < n_ctx; ++i) {
      int32_t t = tokens[c * n_ctx + i];
      if (i == 0 && bos >= 0) t = bos;
      batch[i] = {t, 0, i, i >= n_ctx / 2 - 1 && i + 1 < n_ctx};
    }
    auto logits = ictx.forward(batch);
    for (int i = n_ctx / 2 - 1, k = 0; i + 1 < n_ctx; ++i, ++k) {
      const double lp = log_prob(logits.subspan(k * n_vocab, n_vocab), tokens[c * n_ctx + i + 1]);
      nll -= lp;
      nll2 += lp * lp;
      ++count;
    }
    std::fprintf(stderr, "[%zu/%zu] ppl so far %.4f\n", c + 1, n_chunks, std::exp(nll / count));
  }
  const double mean = nll / count;
  const double var = nll2 / count - mean * mean;
  const double ppl = std::exp(mean);
  const double err = ppl * std::sqrt(std::max(var, 0.0) / count);
  std::printf("perplexity: %.4f +/- %.4f (%zu tokens scored, %zu windows of %d)\n", ppl, err, count, n_chunks, n_ctx);
  return 0;
}

CommandRegistration reg_perplexity("perplexity", [](CLI::App& app) {
  auto* sub = app.add_subcommand("perplexity", "Measure a model's perplexity on a text file (what quantization cost)");
  auto a = std::make_shared<PerplexityArgs>();
  sub->add_option("-m,--model", a->model, "GGUF model file")->required();
  sub->add_option("-f,--file", a->file, "Text file")->required();
  sub->add_option("-c,--ctx", a->ctx, "Window size in tokens (default 512)");
  sub->add_option("-t,--threads", a->threads, "Threads (default: physical cores)");
  sub->add_option("--kv-type", a->kv_type, "KV cache type: f16 (default) or q8_0 (half the memory)");
  return [a]() { return run_perplexity(*a); };
});

}  // namespace
}  // namespace cellar::cli
