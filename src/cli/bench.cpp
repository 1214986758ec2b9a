// `cellar bench`: prompt-processing and generation speed, measured like
// llama-bench (median of -r repetitions after a warm-up), plus the memory
// bandwidth the decode speed implies — decode reads every weight once per token —
// against the machine's read bandwidth, measured between the repetitions.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <new>
#include <nlohmann/json.hpp>
#include <optional>
#include <unistd.h>

#include "cli/cli_common.h"
#include "cli/command.h"
#include "kernels/kernels.h"
#include "model/context.h"
#include "util/read_bandwidth.h"

namespace cellar::cli {
namespace {

struct BenchArgs {
  std::string model;
  int threads = 0, n_prompt = 128, n_gen = 64, reps = 3, batch = 8;
  int read_probe_mib = 1024;  // issue #3's ceiling: a plain read of 1 GiB by the same threads
  std::string kv_type = "f16";
  bool json = false, kernels = false, no_repack = false;
};

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

int32_t bench_token(int i, int n_vocab) { return static_cast<int32_t>((1000003ull * (i + 7)) % (n_vocab - 3)) + 3; }

// Seconds to prefill `n` tokens of slot 0 from position 0.
double time_prefill(InferenceContext& ctx, int n, int n_vocab) {
  std::vector<BatchToken> batch(n);
  for (int i = 0; i < n; ++i) batch[i] = {bench_token(i, n_vocab), 0, i, i + 1 == n};
  auto t0 = Clock::now();
  ctx.forward(batch);
  return seconds_since(t0);
}

// Seconds for `n` decode steps, each of one token in each of `slots` slots, after `start` positions.
double time_decode(InferenceContext& ctx, int n, int slots, int start, int n_vocab) {
  auto t0 = Clock::now();
  std::vector<BatchToken> batch(slots);
  for (int i = 0; i < n; ++i) {
    for (int s = 0; s < slots; ++s) batch[s] = {bench_token(i * slots + s, n_vocab), s, start + i, true};
    ctx.forward(batch);
  }
  return seconds_since(t0);
}

int run_kernel_bench() {
  char self[4096];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) throw std::runtime_error("cannot locate the cellar binary");
  self[n] = 0;
  auto exe = std::filesystem::path(self).parent_path() / "bench_kernels";
  if (!std::filesystem::exists(exe)) throw UsageError("bench_kernels was not built next to " + std::string(self));
  ::execl(exe.c_str(), exe.c_str(), static_cast<char*>(nullptr));
  throw std::runtime_error("cannot run " + exe.string());
}

// The read probe's passes: one before the repetitions, one before each
// decode, one after, so a host whose bandwidth moves between minutes shows
// it in min/max rather than in a single lucky or unlucky figure.
struct ReadFigures {
  std::optional<ReadProbe> probe;
  std::vector<double> gb_s;

  ReadFigures(int mib, ThreadPool& pool) {
    if (mib == 0) return;
    try {
      probe.emplace(static_cast<size_t>(mib) << 20, pool);
    } catch (const std::bad_alloc&) {
      throw std::runtime_error("cannot allocate the " + std::to_string(mib) +
                               " MiB read probe: pass a smaller --read-probe-mib, or 0 to skip it");
    }
  }
  void measure() {
    if (probe) gb_s.push_back(probe->measure());
  }
  void add_to(nlohmann::ordered_json& j, double decode_gb_s) const {
    if (gb_s.empty()) return;
    const double med = median(gb_s);
    j["memory_read_bytes"] = probe->bytes();
    j["memory_read_gb_per_s"] = med;
    j["memory_read_gb_per_s_min"] = *std::min_element(gb_s.begin(), gb_s.end());
    j["memory_read_gb_per_s_max"] = *std::max_element(gb_s.begin(), gb_s.end());
    j["decode_percent_of_read"] = med > 0 ? 100 * decode_gb_s / med : 0;
  }
};

void print_text(const BenchArgs& a, const nlohmann::ordered_json& j, const std::string& arch) {
  std::printf("cpu: %s\n", j["cpu"].get<std::string>().c_str());
  std::printf("model: %s (%.2f GB, %s)\nisa: %s, threads: %d, repacked matrices: %d, KV cache: %s\n",
              a.model.c_str(), j["model_bytes"].get<double>() / 1e9, arch.c_str(), j["isa"].get<std::string>().c_str(),
              j["threads"].get<int>(), j["repacked_matrices"].get<int>(), j["kv_type"].get<std::string>().c_str());
  std::printf("prefill pp%d: %8.1f tok/s\ndecode  tg%d: %8.1f tok/s  (%.1f GB/s of weights)\n", a.n_prompt,
              j["prefill_tokens_per_s"].get<double>(), a.n_gen, j["decode_tokens_per_s"].get<double>(),
              j["decode_bandwidth_gb_per_s"].get<double>());
  if (j.contains("memory_read_gb_per_s")) {
    std::printf("memory read (%d MiB, %d threads): %.1f GB/s median (%.1f-%.1f); decode streams %.0f%% of it\n",
                a.read_probe_mib, j["threads"].get<int>(), j["memory_read_gb_per_s"].get<double>(),
                j["memory_read_gb_per_s_min"].get<double>(), j["memory_read_gb_per_s_max"].get<double>(),
                j["decode_percent_of_read"].get<double>());
  }
  if (a.batch > 1) {
    std::printf("batched decode x%d: %8.1f tok/s  (one step of %d costs %.2fx a single-token step)\n", a.batch,
                j["batched_decode_tokens_per_s"].get<double>(), a.batch, j["batched_step_cost_vs_single"].get<double>());
  }
}

int run_bench(const BenchArgs& a) {
  if (a.kernels) return run_kernel_bench();
  if (a.model.empty()) throw UsageError("-m FILE is required (or --kernels)");
  if (a.n_prompt < 1 || a.n_gen < 1 || a.reps < 1 || a.batch < 1) throw UsageError("-p, -n, -r and --batch must be >= 1");
  if (a.read_probe_mib < 0 || a.read_probe_mib > (1 << 16)) {
    throw UsageError("--read-probe-mib must be between 0 (skip) and 65536");
  }
  LoadedModel lm = load_model(a.model, {.repack = !a.no_repack});
  const HParams& hp = lm.model->hparams();
  const int threads = resolve_threads(a.threads);
  const int need = std::max(a.n_prompt, 16) + a.n_gen + 1;
  const int n_ctx = resolve_context(*lm.model, need, need);
  const GgmlType kv_type = resolve_kv_type(a.kv_type);
  InferenceContext ctx(lm.model, {.n_ctx = n_ctx, .n_slots = a.batch, .n_threads = threads,
                                  .max_batch = std::max(a.n_prompt, a.batch), .kv_type = kv_type});
  time_prefill(ctx, std::min(a.n_prompt, 16), hp.n_vocab);  // warm-up: page in weights, size buffers
  time_decode(ctx, 2, 1, std::min(a.n_prompt, 16), hp.n_vocab);
  ReadFigures reads(a.read_probe_mib, ctx.pool());
  reads.measure();
  std::vector<double> pp, tg, bt;
  for (int r = 0; r < a.reps; ++r) {
    pp.push_back(a.n_prompt / time_prefill(ctx, a.n_prompt, hp.n_vocab));
    reads.measure();
    tg.push_back(a.n_gen / time_decode(ctx, a.n_gen, 1, a.n_prompt, hp.n_vocab));
    if (a.batch > 1) bt.push_back(a.n_gen * a.batch / time_decode(ctx, a.n_gen, a.batch, a.n_prompt, hp.n_vocab));
  }
  reads.measure();
  const double prefill = median(pp), decode = median(tg), batched = median(bt);
  // Bytes streamed per decoded token: every weight, except that only one row of an untied embedding is read.
  uint64_t per_token = lm.model->weight_bytes();
  if (const auto* emb = lm.model->file().find_tensor("token_embd.weight"); emb && !hp.tied_embeddings) {
    per_token -= emb->n_bytes;
  }
  const double bw = decode * per_token / 1e9;
  nlohmann::ordered_json j = {
      {"model", a.model}, {"cpu", kernels::cpu_model()}, {"isa", kernels::isa_name(kernels::active_isa())}, {"threads", threads},
      {"model_bytes", lm.model->file().file_size()}, {"weight_bytes_per_token", per_token},
      {"repacked_matrices", lm.model->repacked_matrices()},
      {"kv_type", ggml_type_info(kv_type).name}, {"kv_bytes", ctx.kv_bytes()},
      {"prompt_tokens", a.n_prompt}, {"gen_tokens", a.n_gen}, {"repetitions", a.reps},
      {"prefill_tokens_per_s", prefill}, {"decode_tokens_per_s", decode}, {"decode_bandwidth_gb_per_s", bw}};
  if (a.batch > 1) {
    j["batch"] = a.batch;
    j["batched_decode_tokens_per_s"] = batched;
    j["batched_step_cost_vs_single"] = decode > 0 && batched > 0 ? (a.batch / batched) * decode : 0;
  }
  reads.add_to(j, bw);
  if (a.json) {
    std::printf("%s\n", j.dump().c_str());
    return 0;
  }
  print_text(a, j, hp.arch);
  return 0;
}

CommandRegistration reg_bench("bench", [](CLI::App& app) {
  auto* sub = app.add_subcommand("bench", "Measure prefill and decode speed (median of repetitions)");
  auto a = std::make_shared<BenchArgs>();
  sub->add_option("-m,--model", a->model, "GGUF model file");
  sub->add_option("-t,--threads", a->threads, "Threads (default: physical cores)");
  sub->add_option("--kv-type", a->kv_type, "KV cache type: f16 (default) or q8_0 (half the memory)");
  sub->add_option("-p,--n-prompt", a->n_prompt, "Prompt tokens (default 128)");
  sub->add_option("-n,--n-gen", a->n_gen, "Generated tokens (default 64)");
  sub->add_option("-r,--repetitions", a->reps, "Repetitions, median reported (default 3)");
  sub->add_option("--read-probe-mib", a->read_probe_mib,
                  "MiB of memory read between repetitions to measure the decode ceiling (default 1024, 0 = skip)");
  sub->add_option("--batch", a->batch, "Sequences for the batched-decode figure (default 8, 1 = skip)");
  sub->add_flag("--json", a->json, "Print one JSON object");
  sub->add_flag("--no-repack", a->no_repack, "Keep the file's row-major weight layout (compare with the x16 repack)");
  sub->add_flag("--kernels", a->kernels, "Per-kernel GB/s and GFLOP/s (Google Benchmark)");
  return [a]() { return run_bench(*a); };
});

}  // namespace
}  // namespace cellar::cli
