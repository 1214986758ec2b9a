// Matmul driver: quantizes the activations once, then hands out
// (row chunk x activation block) tiles to the pool's threads through an
// atomic counter, so a thread slowed by a noisy neighbour does not hold the
// others back. Within a tile the ISA kernel does its own register blocking.
#include <algorithm>
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

int64_t row_chunk(int64_t rows, int64_t m, int nth) {
  // Enough chunks for balance (8 per thread), multiples of 16 rows so the
  // kernels' 4-row tiles stay whole; smaller chunks when m is large keep a
  // chunk's weights in L2 while all activation rows stream past them.
  int64_t chunk = rows / (8 * nth);
  if (m > 1) chunk = std::min<int64_t>(chunk, 64);
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
}

}  // namespace

void matmul(const Matrix& w, const float* x, int64_t m, float* y, ThreadPool& pool) {
  check_matrix(w, m);
  if (m == 0 || w.rows == 0) return;
  if (w.type == GgmlType::F32 || w.cols % 16 != 0) return matmul_precise(w, x, m, y, pool);
  const TypeKernels& tk = *type_kernels(w.type);
  const ActiveKernels& k = active();
  const GemmFn gemm = k.gemm[static_cast<size_t>(w.type)];
  // Reused across calls (no allocation once warm). Named through a plain
  // reference: inside the pool's lambdas `acts` would mean each worker's own copy.
  thread_local QuantizedActs tls_acts;
  QuantizedActs& acts = tls_acts;
  prepare_acts(tk.act, x, m, w.cols, acts);
  const int nth = pool.size();
  if (m == 1 || nth == 1) {
    k.quantize_acts(acts, x, 0, m);
  } else {
    pool.run([&](int ith, int n) { k.quantize_acts(acts, x, m * ith / n, m * (ith + 1) / n); });
  }
  const GemmArgs args{static_cast<const uint8_t*>(w.data), ggml_row_size(w.type, w.cols), w.cols, &acts, y, w.rows};
  const int64_t chunk = row_chunk(w.rows, m, nth);
  const int64_t n_row_chunks = (w.rows + chunk - 1) / chunk;
  const int64_t n_act_blocks = (m + kActBlock - 1) / kActBlock;
  const int64_t n_tasks = n_row_chunks * n_act_blocks;
  std::atomic<int64_t> next{0};
  auto work = [&](int, int) {
    for (int64_t t = next.fetch_add(1, std::memory_order_relaxed); t < n_tasks;
         t = next.fetch_add(1, std::memory_order_relaxed)) {
      const int64_t ab = t / n_row_chunks, rc = t % n_row_chunks;
      const int64_t r0 = rc * chunk, r1 = std::min(w.rows, r0 + chunk);
      const int64_t i0 = ab * kActBlock, i1 = std::min(m, i0 + kActBlock);
      gemm(args, r0, r1, i0, i1);
    }
  };
  if (nth == 1) {
    work(0, 1);
  } else {
    pool.run(work);
  }
}

}  // namespace cellar::kernels
