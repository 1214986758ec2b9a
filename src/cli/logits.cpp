// `cellar logits`: raw float32 logits at the last prompt position, for
// comparing Cellar with other engines value by value.
#include <cstdio>
#include <fstream>

#include "cli/cli_common.h"
#include "cli/command.h"
#include "model/context.h"

namespace cellar::cli {
namespace {

struct LogitsArgs {
  std::string model, prompt, out;
  int threads = 0;
  bool no_bos = false;
};

int run_logits(const LogitsArgs& a) {
  LoadedModel lm = load_model(a.model);
  auto ids = lm.tokenizer->encode(read_text_arg(a.prompt), !a.no_bos, false);
  if (ids.empty()) throw UsageError("the prompt produced no tokens");
  const int ctx = resolve_context(*lm.model, static_cast<int>(ids.size()), static_cast<int>(ids.size()));
  InferenceContext ictx(lm.model, {.n_ctx = ctx, .n_slots = 1, .n_threads = resolve_threads(a.threads),
                                   .max_batch = 512});
  std::vector<BatchToken> batch;
  for (size_t i = 0; i < ids.size(); ++i) batch.push_back({ids[i], 0, static_cast<int32_t>(i), i + 1 == ids.size()});
  auto logits = ictx.forward(batch);
  std::ofstream os(a.out, std::ios::binary);
  if (!os) throw UsageError("cannot write '" + a.out + "'");
  os.write(reinterpret_cast<const char*>(logits.data()), static_cast<std::streamsize>(logits.size() * sizeof(float)));
  if (!os) throw std::runtime_error("error writing '" + a.out + "'");
  std::fprintf(stderr, "%zu prompt tokens, wrote %zu logits to %s\n", ids.size(), logits.size(), a.out.c_str());
  return 0;
}

CommandRegistration reg_logits("logits", [](CLI::App& app) {
  auto* sub = app.add_subcommand("logits", "Write the float32 logits at the last prompt position");
  auto a = std::make_shared<LogitsArgs>();
  sub->add_option("-m,--model", a->model, "GGUF model file")->required();
  sub->add_option("-p,--prompt", a->prompt, "Prompt text, or - for stdin")->required();
  sub->add_option("-o,--output", a->out, "Output file (n_vocab little-endian float32)")->required();
  sub->add_option("-t,--threads", a->threads, "Threads (default: physical cores)");
  sub->add_flag("--no-bos", a->no_bos, "Do not add BOS/EOS tokens");
  return [a]() { return run_logits(*a); };
});

}  // namespace
}  // namespace cellar::cli
