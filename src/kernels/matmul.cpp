// Matmul driver: quantizes the activations once, then hands out
// (row chunk x activation block) tiles of one or several matrices to the
// pool's threads through an atomic counter, so a thread slowed by a noisy neighbour does not hold the
// others back. Within a tile the ISA kernel does its own register blocking.
#include <algorithm>
#include <array>
#include <atomic>
#include <stdexcept>
#include <string>

#include "kernels/dispatch.h"
#include "kernels/kernels.h"
#include "kernels/type_traits.h"

namespace cellar::kernels {
namespace {

// Activation rows per tile: 128 int8 rows of a 5632-wide layer are 704 KiB,
// still inside a Zen 4/5 L2 next to the weight chunk.
constexpr int64_t kActBlock = 128;

// Most matrices one matmul_multi call runs together (Q/K/V is 3, gate/up 2).
constexpr size_t kMaxMulti = 8;

int64_t row_chunk(int64_t rows, int64_t m, int nth) {
  // Enough chunks for balance (8 per thread), multiples of 16 rows so the
  // kernels' 4-row tiles stay whole; smaller chunks when m is large keep a
  // chunk's weights in L2 while all activation rows stream past them.
  int64_t chunk = rows / (8 * nth);
  if (m > 32) chunk = std::min<int64_t>(chunk, 64);
  chunk = std::max<int64_t>(16, chunk / 16 * 16);
  return chunk;
}

void check_matrix(const Matrix& w, int64_t m) {
  if (!type_kernels(w.type)) {
    throw std::invalid_argument("matmul: unsupported tensor type " + std::string(ggml_type_info(w.type).name));
  }
  const int64_t bs = ggml_type_info(w.type).block_size;
  if (w.cols <= 0 || w.cols % bs != 0 || w.rows < 0 || m < 0) {
    throw std::invalid_argument("matmul: " + std::to_string(w.cols) +
                                " columns is not a positive multiple of the block size");
  }
  if (w.layout == Layout::kX16 && !interleavable(w.type, w.rows, w.cols)) {
    throw std::invalid_argument("matmul: " + std::string(ggml_type_info(w.type).name) + " " +
                                std::to_string(w.rows) + "x" + std::to_string(w.cols) + " has no x16 layout");
  }
}

// Whether the matrices can share one quantized copy of x.
bool can_share(std::span<const Matrix> ws) {
  if (ws.size() > kMaxMulti) return false;
  const ActFormat format = type_kernels(ws[0].type)->act;
  for (const Matrix& w : ws) {
    if (w.cols != ws[0].cols || type_kernels(w.type)->act != format) return false;
    if (w.layout == Layout::kRows && (w.type == GgmlType::F32 || w.cols % 16 != 0)) return false;  // matmul_precise's
  }
  return true;
}

// One matrix's share of the task list.
struct Plan {
  GemmArgs args;
  GemmFn gemm;
  int64_t rows, chunk, first_task;
};

// Runs every (activation block x matrix x row chunk) task; tasks are numbered
// densely with the activation block outermost and taken from an atomic counter.
void run_tasks(std::span<const Plan> plans, int64_t per_block, int64_t m, ThreadPool& pool) {
  const int64_t n_tasks = per_block * ((m + kActBlock - 1) / kActBlock);
  std::atomic<int64_t> next{0};
  auto work = [&](int, int) {
    for (int64_t t = next.fetch_add(1, std::memory_order_relaxed); t < n_tasks;
         t = next.fetch_add(1, std::memory_order_relaxed)) {
      const int64_t ab = t / per_block, rest = t % per_block;
      size_t j = 0;
      while (j + 1 < plans.size() && plans[j + 1].first_task <= rest) ++j;
      const Plan& p = plans[j];
      const int64_t r0 = (rest - p.first_task) * p.chunk, r1 = std::min(p.rows, r0 + p.chunk);
      const int64_t i0 = ab * kActBlock, i1 = std::min(m, i0 + kActBlock);
      p.gemm(p.args, r0, r1, i0, i1);
    }
  };
  if (pool.size() == 1) {
    work(0, 1);
  } else {
    pool.run(work);
  }
}

}  // namespace

void matmul(const Matrix& w, const float* x, int64_t m, float* y, ThreadPool& pool) {
  matmul_multi(std::span<const Matrix>(&w, 1), x, m, std::span<float* const>(&y, 1), pool);
}

void matmul_multi(std::span<const Matrix> ws, const float* x, int64_t m, std::span<float* const> ys, ThreadPool& pool) {
  if (ws.size() != ys.size()) throw std::invalid_argument("matmul_multi: one output per matrix");
  for (const Matrix& w : ws) check_matrix(w, m);
  if (m == 0 || ws.empty()) return;
  if (!can_share(ws)) {
    for (size_t k = 0; k < ws.size(); ++k) {
      if (ws[k].layout == Layout::kRows && (ws[k].type == GgmlType::F32 || ws[k].cols % 16 != 0)) {
        matmul_precise(ws[k], x, m, ys[k], pool);
      } else {
        matmul_multi(ws.subspan(k, 1), x, m, ys.subspan(k, 1), pool);
      }
    }
    return;
  }
  const ActiveKernels& k = active();
  const int64_t cols = ws[0].cols;
  // Reused across calls (no allocation once warm). Named through a plain
  // reference: inside the pool's lambdas `acts` would mean each worker's own copy.
  thread_local QuantizedActs tls_acts;
  QuantizedActs& acts = tls_acts;
  prepare_acts(type_kernels(ws[0].type)->act, x, m, cols, acts);
  const int nth = pool.size();
  if (m == 1 || nth == 1) {
    k.quantize_acts(acts, x, 0, m);
  } else {
    pool.run([&](int ith, int n) { k.quantize_acts(acts, x, m * ith / n, m * (ith + 1) / n); });
  }
  std::array<Plan, kMaxMulti> plans;
  int64_t per_block = 0;
  for (size_t j = 0; j < ws.size(); ++j) {
    const Matrix& w = ws[j];
    const int64_t chunk = row_chunk(w.rows, m, nth);
    plans[j] = {GemmArgs{static_cast<const uint8_t*>(w.data), ggml_row_size(w.type, cols), cols, &acts, ys[j], w.rows},
                (w.layout == Layout::kX16 ? k.gemm_x16 : k.gemm)[static_cast<size_t>(w.type)], w.rows, chunk, per_block};
    per_block += (w.rows + chunk - 1) / chunk;
  }
  run_tasks(std::span<const Plan>(plans.data(), ws.size()), per_block, m, pool);
}

}  // namespace cellar::kernels
