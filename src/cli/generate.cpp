// `cellar generate`: complete a prompt. Only the generated text goes to
// stdout (so it can be piped); timings go to stderr.
#include <condition_variable>
#include <cstdio>
#include <mutex>

#include "cli/cli_common.h"
#include "cli/command.h"
#include "engine/scheduler.h"

namespace cellar::cli {
namespace {

struct GenerateArgs {
  std::string model, prompt;
  int n_predict = 128, threads = 0, ctx = 0, top_k = 40;
  float temp = 0.8f, top_p = 0.95f, min_p = 0.05f, repeat_penalty = 1.0f;
  std::optional<uint64_t> seed;
  std::vector<std::string> stop;
  std::string kv_type = "f16";
  bool mlock = false, ignore_eos = false;
};

int run_generate(const GenerateArgs& a) {
  LoadedModel lm = load_model(a.model, {.mlock = a.mlock});
  if (a.n_predict < 1) throw UsageError("-n must be at least 1");
  engine::GenerationRequest req;
  req.prompt = lm.tokenizer->encode(read_text_arg(a.prompt), true, false);
  req.max_tokens = a.n_predict;
  req.stop = a.stop;
  req.ignore_eos = a.ignore_eos;
  req.sampling.temperature = a.temp;
  req.sampling.top_k = a.top_k;
  req.sampling.top_p = a.top_p;
  req.sampling.min_p = a.min_p;
  req.sampling.repeat_penalty = a.repeat_penalty;
  req.sampling.seed = a.seed;
  const int ctx = resolve_context(*lm.model, a.ctx, std::max<int>(2048, static_cast<int>(req.prompt.size()) + a.n_predict));
  engine::Scheduler sched(lm.model, lm.tokenizer,
                          {.n_slots = 1, .n_ctx = ctx, .n_threads = resolve_threads(a.threads), .max_queue = 1,
                           .kv_type = resolve_kv_type(a.kv_type)});
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  engine::GenerationResult result;
  req.on_token = [](const engine::TokenEvent& ev) {
    std::fwrite(ev.text.data(), 1, ev.text.size(), stdout);
    std::fflush(stdout);
    return true;
  };
  req.on_done = [&](const engine::GenerationResult& r) {
    std::lock_guard<std::mutex> lock(mu);
    result = r;
    done = true;
    cv.notify_all();
  };
  try {
    sched.submit(std::move(req));
  } catch (const engine::RequestError& e) {
    throw UsageError(e.what());
  }
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return done; });
  std::printf("\n");
  if (result.reason == engine::FinishReason::kError) throw std::runtime_error(result.error);
  const double prefill_tps = result.prompt_eval_seconds > 0 ? result.prompt_tokens / result.prompt_eval_seconds : 0;
  const double decode_tps =
      result.eval_seconds > 0 && result.completion_tokens > 1 ? (result.completion_tokens - 1) / result.eval_seconds : 0;
  std::fprintf(stderr, "prompt: %d tokens, %.1f tok/s | generated: %d tokens, %.1f tok/s | finish: %s\n",
               result.prompt_tokens, prefill_tps, result.completion_tokens, decode_tps,
               engine::finish_reason_name(result.reason));
  return 0;
}

CommandRegistration reg_generate("generate", [](CLI::App& app) {
  auto* sub = app.add_subcommand("generate", "Generate text from a prompt (text to stdout, timings to stderr)");
  auto a = std::make_shared<GenerateArgs>();
  sub->add_option("-m,--model", a->model, "GGUF model file")->required();
  sub->add_option("-p,--prompt", a->prompt, "Prompt text, or - for stdin")->required();
  sub->add_option("-n,--n-predict", a->n_predict, "Tokens to generate (default 128)");
  sub->add_option("--temp", a->temp, "Temperature, 0 = greedy (default 0.8)");
  sub->add_option("--seed", a->seed, "Random seed (same seed + input = same output)");
  sub->add_option("--top-k", a->top_k, "Top-k (default 40, 0 = off)");
  sub->add_option("--top-p", a->top_p, "Top-p (default 0.95)");
  sub->add_option("--min-p", a->min_p, "Min-p (default 0.05)");
  sub->add_option("--repeat-penalty", a->repeat_penalty, "Repetition penalty (default 1.0 = off)");
  sub->add_option("--stop", a->stop, "Stop string (repeatable)");
  sub->add_flag("--ignore-eos", a->ignore_eos, "Keep generating past end-of-sequence tokens");
  sub->add_option("-t,--threads", a->threads, "Threads (default: physical cores)");
  sub->add_option("-c,--ctx", a->ctx, "Context size (default: 2048 or what the request needs, up to the trained context)");
  sub->add_flag("--mlock", a->mlock, "Lock the model in RAM");
  sub->add_option("--kv-type", a->kv_type, "KV cache type: f16 (default) or q8_0 (half the memory)");
  return [a]() { return run_generate(*a); };
});

}  // namespace
}  // namespace cellar::cli
