// `cellar chat`: an interactive conversation in the terminal using the model's
// own chat template. Each turn reuses the previous turns' KV cache.
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <unistd.h>

#include "cli/cli_common.h"
#include "cli/command.h"
#include "engine/chat_prompt.h"
#include "engine/scheduler.h"
#include "util/file_util.h"

namespace cellar::cli {
namespace {

struct ChatArgs {
  std::string model, system, template_file;
  int n_predict = 512, threads = 0, ctx = 0;
  std::string kv_type = "f16";
  float temp = 0.7f;
  std::optional<uint64_t> seed;
};

// Runs one assistant turn, streaming it to stdout; returns the reply text.
std::string assistant_turn(engine::Scheduler& sched, std::vector<int32_t> prompt, const ChatArgs& a, int room) {
  engine::GenerationRequest req;
  req.prompt = std::move(prompt);
  req.max_tokens = std::min(a.n_predict, room);
  req.sampling.temperature = a.temp;
  req.sampling.seed = a.seed;
  std::string reply;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  engine::GenerationResult result;
  req.on_token = [&](const engine::TokenEvent& ev) {
    reply += ev.text;
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
  sched.submit(std::move(req));
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return done; });
  std::printf("\n");
  if (result.reason == engine::FinishReason::kError) throw std::runtime_error(result.error);
  return reply;
}

int run_chat(const ChatArgs& a) {
  LoadedModel lm = load_model(a.model);
  std::optional<std::string> override_src;
  if (!a.template_file.empty()) override_src = read_file_or_throw(a.template_file);
  engine::ChatPrompt chat(lm.model->file(), lm.tokenizer, override_src);
  const int ctx = resolve_context(*lm.model, a.ctx, 4096);
  engine::Scheduler sched(lm.model, lm.tokenizer,
                          {.n_slots = 1, .n_ctx = ctx, .n_threads = resolve_threads(a.threads), .max_queue = 1,
                           .kv_type = resolve_kv_type(a.kv_type)});
  nlohmann::ordered_json messages = nlohmann::ordered_json::array();
  if (!a.system.empty()) messages.push_back({{"role", "system"}, {"content", a.system}});
  const bool tty = ::isatty(STDIN_FILENO);
  if (tty) std::fprintf(stderr, "cellar chat: type a message; /reset starts over, /exit or Ctrl-D quits\n");
  std::string line;
  while (true) {
    if (tty) std::fprintf(stderr, "> ");
    if (!std::getline(std::cin, line) || line == "/exit") break;
    if (line == "/reset") {
      messages.erase(messages.begin() + (a.system.empty() ? 0 : 1), messages.end());
      continue;
    }
    if (line.empty()) continue;
    messages.push_back({{"role", "user"}, {"content", line}});
    auto prompt = chat.tokenize(messages, true);
    const int room = ctx - static_cast<int>(prompt.size());
    if (room < 1) {
      std::fprintf(stderr, "cellar chat: the conversation fills the %d-token context; /reset to start over\n", ctx);
      messages.erase(messages.end() - 1);
      continue;
    }
    messages.push_back({{"role", "assistant"}, {"content", assistant_turn(sched, std::move(prompt), a, room)}});
  }
  return 0;
}

CommandRegistration reg_chat("chat", [](CLI::App& app) {
  auto* sub = app.add_subcommand("chat", "Interactive chat with a model using its chat template");
  auto a = std::make_shared<ChatArgs>();
  sub->add_option("-m,--model", a->model, "GGUF model file")->required();
  sub->add_option("--system", a->system, "System prompt");
  sub->add_option("--chat-template", a->template_file, "Jinja chat template file overriding the model's");
  sub->add_option("-n,--n-predict", a->n_predict, "Max tokens per reply (default 512)");
  sub->add_option("--temp", a->temp, "Temperature (default 0.7, 0 = greedy)");
  sub->add_option("--seed", a->seed, "Random seed");
  sub->add_option("-t,--threads", a->threads, "Threads (default: physical cores)");
  sub->add_option("--kv-type", a->kv_type, "KV cache type: f16 (default) or q8_0 (half the memory)");
  sub->add_option("-c,--ctx", a->ctx, "Context size (default 4096, up to the trained context)");
  return [a]() { return run_chat(*a); };
});

}  // namespace
}  // namespace cellar::cli
