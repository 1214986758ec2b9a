// `cellar quantize IN OUT --type T`: e.g. F16 -> Q8_0 halves the memory a
// model needs; `cellar perplexity` then shows what it cost in accuracy.
#include <cstdio>

#include "cli/cli_common.h"
#include "cli/command.h"
#include "model/quantize.h"

namespace cellar::cli {
namespace {

struct QuantizeArgs {
  std::string in, out, type;
  int threads = 0;
};

int run_quantize(const QuantizeArgs& a) {
  auto ft = find_file_type(a.type);
  if (!ft) {
    std::string names;
    for (auto n : file_type_names()) names += (names.empty() ? "" : ", ") + std::string(n);
    throw UsageError("unknown type '" + a.type + "' (known: " + names + ")");
  }
  if (a.in == a.out) throw UsageError("input and output must be different files");
  QuantizeStats st = quantize_model(a.in, a.out, *ft, resolve_threads(a.threads));
  std::printf("%s -> %s (%s): %.1f MB -> %.1f MB (%.1f%%), %d tensors re-encoded, %d copied\n", a.in.c_str(),
              a.out.c_str(), std::string(ft->name).c_str(), st.bytes_in / 1e6, st.bytes_out / 1e6,
              100.0 * st.bytes_out / std::max<uint64_t>(st.bytes_in, 1), st.tensors_requantized, st.tensors_copied);
  return 0;
}

CommandRegistration reg_quantize("quantize", [](CLI::App& app) {
  auto* sub = app.add_subcommand("quantize", "Re-quantize a model (Q8_0, Q4_K_M, Q4_0, ... with llama.cpp's recipes)");
  auto a = std::make_shared<QuantizeArgs>();
  sub->add_option("input", a->in, "Input GGUF")->required();
  sub->add_option("output", a->out, "Output GGUF")->required();
  sub->add_option("--type", a->type, "Target file type, e.g. Q4_K_M, Q8_0, Q4_0, F16")->required();
  sub->add_option("-t,--threads", a->threads, "Threads (default: physical cores)");
  return [a]() { return run_quantize(*a); };
});

}  // namespace
}  // namespace cellar::cli
