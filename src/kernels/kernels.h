#pragma once
// Public kernel API the model layer calls: conversions, (de)quantization of
// the GGUF tensor types, weight-times-activation matmul and the small vector
// ops of attention. Each entry point is dispatched once per process to the
// best ISA the CPU supports (dispatch.cpp); set_isa() forces one for tests.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "gguf/ggml_type.h"
#include "kernels/fp16.h"
#include "kernels/interleave.h"
#include "util/thread_pool.h"

namespace cellar::kernels {

enum class Isa { kScalar, kAvx2, kAvx512 };

Isa detected_isa();  // best the CPU supports
Isa active_isa();
void set_isa(Isa isa);               // throws std::invalid_argument if the CPU lacks it
std::string_view isa_name(Isa isa);  // "scalar", "avx2", "avx512"
bool isa_available(Isa isa);
std::string cpu_features();  // e.g. "avx2 fma f16c avx512f ..."
std::string cpu_model();     // e.g. "AMD EPYC (AuthenticAMD, family 25, model 17)", from CPUID
// cpu_model()'s text from the CPUID fields; the brand string may be empty
// (some hypervisors and older CPUs leave it blank).
std::string describe_cpu(const std::string& brand, const std::string& vendor, unsigned family, unsigned model);

bool type_supported(GgmlType t);  // F32, F16, BF16, Q4_0..Q8_0, Q2_K..Q6_K
// n must be a multiple of the type's block size; throws std::invalid_argument otherwise.
void dequantize_row(GgmlType t, const void* src, float* dst, int64_t n);
void quantize_row(GgmlType t, const float* src, void* dst, int64_t n);

// Weight matrix: `rows` rows of ggml_row_size(type, cols) bytes, row-major
// or 16 rows interleaved (interleave.h).
struct Matrix {
  const void* data;  // [rows][row_bytes], or [rows / 16][cols / 32] x16 blocks
  GgmlType type;
  int64_t rows;
  int64_t cols;
  Layout layout = Layout::kRows;
};

// y[i][r] = sum_c W[r][c] * x[i][c] for i < m.
// x: [m][cols] f32, y: [m][rows] f32. Activations are quantized once into
// the weight type's integer partner format, then rows are split over the
// pool's threads; for m > 1 the kernels tile rows x activations so each
// weight block is read once per tile.
void matmul(const Matrix& w, const float* x, int64_t m, float* y, ThreadPool& pool);

// The same with F64 accumulation; matmul() uses it for F32 weights and for
// row lengths the SIMD kernels cannot tile (see matmul_precise.cpp).
void matmul_precise(const Matrix& w, const float* x, int64_t m, float* y, ThreadPool& pool);

// Several matrices against the same x (e.g. the Q/K/V or gate/up
// projections): x is quantized once and all matrices' row chunks share one
// parallel region, so small matrices do not each pay a thread wake-up.
// ys[k]: [m][ws[k].rows]. Matrices with different row lengths or activation
// formats are run one after the other.
void matmul_multi(std::span<const Matrix> ws, const float* x, int64_t m, std::span<float* const> ys, ThreadPool& pool);

// Small vector ops for attention and norms.
float dot_f32(const float* a, const float* b, int64_t n);
float dot_f16_f32(const uint16_t* a, const float* b, int64_t n);     // K cache rows in F16
void axpy_f16(float alpha, const uint16_t* x, float* y, int64_t n);  // y += alpha * x
void fp32_to_fp16_row(const float* src, uint16_t* dst, int64_t n);
// out[i] = silu(gate[i]) * up[i], silu(g) = g / (1 + e^-g) (the Llama FFN's
// gate). SIMD paths use a polynomial exp (kernels/avx*/vec_*.cpp): within
// 2e-6 relative of the scalar reference's std::exp.
void swiglu(const float* gate, const float* up, float* out, int64_t n);
// out[i] = e^x[i] (out may be x): the softmax weights of attention. SIMD paths
// use the same polynomial (within 2e-6 relative of std::exp; e^0 is exactly 1,
// and x below -87.3 gives about 1e-38 instead of 0).
void exp_f32(const float* x, float* out, int64_t n);

}  // namespace cellar::kernels
