// Matmul with F64 accumulation, for F32 weights and for float rows the SIMD
// kernels cannot tile (row length not a multiple of 16, e.g. stories260K's
// 172-wide FFN). F32 checkpoints are what users compare against other engines
// logit by logit (`cellar logits`), and float accumulation alone moves a tiny
// model's logits by ~1e-3; F64 keeps them within 1e-5 of exact. The cost is
// hidden behind memory bandwidth: F32 weights stream 4 bytes per multiply-add.
#include <vector>

#include "kernels/kernels.h"

namespace cellar::kernels {
namespace {

double dot_f64(const float* a, const float* b, int64_t n) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int64_t c = 0;
  for (; c + 4 <= n; c += 4) {
    s0 += static_cast<double>(a[c]) * b[c];
    s1 += static_cast<double>(a[c + 1]) * b[c + 1];
    s2 += static_cast<double>(a[c + 2]) * b[c + 2];
    s3 += static_cast<double>(a[c + 3]) * b[c + 3];
  }
  for (; c < n; ++c) s0 += static_cast<double>(a[c]) * b[c];
  return (s0 + s1) + (s2 + s3);
}

}  // namespace

void matmul_precise(const Matrix& w, const float* x, int64_t m, float* y, ThreadPool& pool) {
  const size_t row_bytes = ggml_row_size(w.type, w.cols);
  pool.run([&](int ith, int nth) {
    std::vector<float> buf(w.type == GgmlType::F32 ? 0 : static_cast<size_t>(w.cols));  // [cols]
    for (int64_t r = ith; r < w.rows; r += nth) {
      const auto* src = static_cast<const uint8_t*>(w.data) + r * row_bytes;
      const float* row = reinterpret_cast<const float*>(src);
      if (w.type != GgmlType::F32) {
        dequantize_row(w.type, src, buf.data(), w.cols);
        row = buf.data();
      }
      for (int64_t i = 0; i < m; ++i) y[i * w.rows + r] = static_cast<float>(dot_f64(row, x + i * w.cols, w.cols));
    }
  });
}

}  // namespace cellar::kernels
