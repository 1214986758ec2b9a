// Kernel throughput: weight GB/s and GFLOP/s of matmul per type, ISA, shape
// and activation count m (m = 1 is decode, m = 128 prefill).
// Weights rotate over enough copies to exceed the L3 cache so m = 1 measures
// the memory stream a real decode sees. Threads: CELLAR_BENCH_THREADS or the
// physical core count. Rates are per wall-clock second; with
// CELLAR_BENCH_CPU_TIME=1 they are per CPU-second of the whole process, which
// stays meaningful on a machine shared with other work.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "kernels/kernels.h"

namespace {

using cellar::GgmlType;
using cellar::kernels::Isa;

constexpr size_t kRotateBytes = 256u << 20;  // well past a 32 MiB L3
// "hot" shape: 256 x 2048 stays in L2, so it measures the kernels' compute
// rate without the memory stream.
constexpr int64_t kHotRows = 256;

struct Weights {
  std::vector<std::vector<uint8_t>> copies;  // each [rows][row_bytes]
};

using cellar::kernels::Layout;

const Weights& weights_for(GgmlType t, int64_t rows, int64_t cols, Layout layout) {
  static std::vector<std::pair<std::string, std::unique_ptr<Weights>>> cache;
  const std::string key = std::to_string(static_cast<int>(t)) + "/" + std::to_string(rows) + "x" + std::to_string(cols) +
                          (layout == Layout::kX16 ? "/x16" : "");
  for (auto& [k, w] : cache) {
    if (k == key) return *w;
  }
  auto w = std::make_unique<Weights>();
  std::mt19937 rng(42);
  std::normal_distribution<float> dist(0.0f, 1.0f);
  std::vector<float> row(cols);
  const size_t row_bytes = cellar::ggml_row_size(t, cols);
  std::vector<uint8_t> first(row_bytes * rows);
  for (int64_t r = 0; r < rows; ++r) {
    for (auto& v : row) v = dist(rng);
    cellar::kernels::quantize_row(t, row.data(), first.data() + r * row_bytes, cols);
  }
  if (layout == Layout::kX16) {
    std::vector<uint8_t> packed(first.size());
    cellar::kernels::interleave(t, first.data(), packed.data(), rows, cols);
    first.swap(packed);
  }
  const size_t n_copies = rows == kHotRows ? 1 : std::max<size_t>(1, kRotateBytes / first.size());
  for (size_t i = 0; i < n_copies; ++i) w->copies.push_back(first);
  cache.emplace_back(key, std::move(w));
  return *cache.back().second;
}

int bench_threads() {
  const char* env = std::getenv("CELLAR_BENCH_THREADS");
  return env ? std::atoi(env) : cellar::default_thread_count();
}

cellar::ThreadPool& pool() {
  static cellar::ThreadPool p(bench_threads());
  return p;
}

void bm_matmul(benchmark::State& state, GgmlType t, Layout layout, Isa isa, int64_t rows, int64_t cols, int64_t m) {
  cellar::kernels::set_isa(isa);
  const Weights& w = weights_for(t, rows, cols, layout);
  std::vector<float> x(m * cols, 0.5f), y(m * rows);  // x: [m][cols], y: [m][rows]
  std::mt19937 rng(1);
  std::normal_distribution<float> dist(0.0f, 1.0f);
  for (auto& v : x) v = dist(rng);
  size_t copy = 0;
  for (auto _ : state) {
    const cellar::kernels::Matrix mat{w.copies[copy].data(), t, rows, cols, layout};
    cellar::kernels::matmul(mat, x.data(), m, y.data(), pool());
    benchmark::DoNotOptimize(y.data());
    copy = (copy + 1) % w.copies.size();
  }
  const double bytes = static_cast<double>(w.copies[0].size());
  state.counters["GB"] = benchmark::Counter(bytes * state.iterations() / 1e9, benchmark::Counter::kIsRate);
  state.counters["GFLOP"] =
      benchmark::Counter(2.0 * rows * cols * m * state.iterations() / 1e9, benchmark::Counter::kIsRate);
}

void register_one(GgmlType t, Layout layout, Isa isa, int64_t rows, int64_t cols, int64_t m, bool cpu_time) {
  const std::string name = std::string("matmul/") + std::string(cellar::ggml_type_info(t).name) +
                           (layout == Layout::kX16 ? "x16/" : "/") + std::string(cellar::kernels::isa_name(isa)) +
                           "/" + std::to_string(rows) + "x" + std::to_string(cols) + "/m" + std::to_string(m);
  auto* b = benchmark::RegisterBenchmark(name.c_str(),
                                         [=](benchmark::State& s) { bm_matmul(s, t, layout, isa, rows, cols, m); });
  b->Unit(benchmark::kMicrosecond);
  if (cpu_time) {
    b->MeasureProcessCPUTime();
  } else {
    b->UseRealTime();
  }
}

void register_all() {
  const GgmlType types[] = {GgmlType::F32,  GgmlType::F16,  GgmlType::BF16, GgmlType::Q4_0, GgmlType::Q4_1,
                            GgmlType::Q5_0, GgmlType::Q5_1, GgmlType::Q8_0, GgmlType::Q2_K, GgmlType::Q3_K,
                            GgmlType::Q4_K, GgmlType::Q5_K, GgmlType::Q6_K};
  const std::pair<int64_t, int64_t> shapes[] = {{kHotRows, 2048}, {2048, 2048}, {5632, 2048}};
  const char* cpu_env = std::getenv("CELLAR_BENCH_CPU_TIME");
  const bool cpu_time = cpu_env && std::string(cpu_env) == "1";
  for (Isa isa : {Isa::kScalar, Isa::kAvx2, Isa::kAvx512}) {
    if (!cellar::kernels::isa_available(isa)) continue;
    for (GgmlType t : types) {
      for (auto [rows, cols] : shapes) {
        for (int64_t m : {1, 8, 128}) {
          if (m > 1 && rows == 2048) continue;  // batched shapes: one streamed size is enough
          for (Layout layout : {Layout::kRows, Layout::kX16}) {
            if (layout == Layout::kX16 && !cellar::kernels::interleavable(t, rows, cols)) continue;
            register_one(t, layout, isa, rows, cols, m, cpu_time);
          }
        }
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
