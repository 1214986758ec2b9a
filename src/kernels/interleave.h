#pragma once
// Row-interleaved ("x16") weight layout for Q4_0, Q8_0, Q4_K, Q5_K, Q6_K and F16.
//
// A row-major matrix makes a SIMD kernel reduce each row horizontally and
// read many rows as separate memory streams. Interleaving 16 rows block by
// block lets one 512-bit vector hold the same four elements of 16 rows, so
// `vpdpbusd` against four broadcast activation bytes yields 16 row sums at
// once (lane = row): no horizontal reductions, one contiguous stream per
// thread. llama.cpp repacks Q4_0 the same way at load (its "q4_0_8x8");
// this is our own 16-row variant sized for AVX-512.
//
// Group g holds rows 16g..16g+15; its blocks follow each other in block
// order. Block b of a group keeps each field of the 16 rows' original
// blocks side by side: the fp16 scales as 16 words, Q4_K's packed scale
// bytes as 12 x 16 bytes, and the quants as chunks of 16 lanes x 4 bytes
// (lane j = bytes 4c..4c+3 of row j's quants). The bytes themselves are
// unchanged, so the repack is a gather and the size stays the same.
#include <cstdint>

#include "gguf/ggml_type.h"

namespace cellar::kernels {

enum class Layout : uint8_t {
  kRows,  // the GGUF layout: rows of consecutive blocks
  kX16,   // 16 rows interleaved block by block (this file)
};

constexpr int kInterleave = 16;

// Chunk c of lane j = qs[4c..4c+3] of row j: low nibbles are elements 4c..4c+3,
// high nibbles elements 16+4c..16+4c+3.
struct BlockQ4_0x16 {
  uint16_t d[kInterleave];            // fp16 scale per row
  uint8_t qs[4][kInterleave][4];      // [chunk][row][byte]
};
static_assert(sizeof(BlockQ4_0x16) == kInterleave * 18);

// Chunk c of lane j = elements 4c..4c+3 of row j (signed, as in Q8_0).
struct BlockQ8_0x16 {
  uint16_t d[kInterleave];            // fp16 scale per row
  int8_t qs[8][kInterleave][4];       // [chunk][row][byte]
};
static_assert(sizeof(BlockQ8_0x16) == kInterleave * 34);

// Chunk c of lane j = qs[4c..4c+3] of row j: chunks 8p..8p+7 hold sub-blocks
// 2p (low nibbles) and 2p+1 (high nibbles); scales[k][j] = scales[k] of row j.
struct BlockQ4_Kx16 {
  uint16_t d[kInterleave];
  uint16_t dmin[kInterleave];
  uint8_t scales[12][kInterleave];
  uint8_t qs[32][kInterleave][4];     // [chunk][row][byte]
};
static_assert(sizeof(BlockQ4_Kx16) == kInterleave * 144);

// As Q4_K, plus the fifth bits: qh chunk c of lane j = qh[4c..4c+3] of row
// j, whose bits 2p and 2p + 1 belong to sub-blocks 2p and 2p + 1.
struct BlockQ5_Kx16 {
  uint16_t d[kInterleave];
  uint16_t dmin[kInterleave];
  uint8_t scales[12][kInterleave];
  uint8_t qh[8][kInterleave][4];      // [chunk][row][byte]
  uint8_t qs[32][kInterleave][4];     // [chunk][row][byte]
};
static_assert(sizeof(BlockQ5_Kx16) == kInterleave * 176);

// Quants first so their 64-byte chunks start on a cache line whenever the
// block does. Chunk c of lane j = ql[4c..4c+3] (resp. qh[4c..4c+3]) of row j;
// scales[k][j] = scales[k] of row j.
struct BlockQ6_Kx16 {
  uint8_t ql[32][kInterleave][4];     // [chunk][row][byte] low 4 bits
  uint8_t qh[16][kInterleave][4];     // [chunk][row][byte] high 2 bits
  int8_t scales[16][kInterleave];     // [sub-block][row]
  uint16_t d[kInterleave];            // fp16 super-block scale per row
};
static_assert(sizeof(BlockQ6_Kx16) == kInterleave * 210);

// F16 has no blocks; x16 takes 32 columns as one: [32 columns][16 rows], so
// a group is column-major and one 32-byte load holds a column of 16 rows.
constexpr int kF16x16Cols = 32;

// Whether a rows x cols matrix of type t can be stored as x16.
bool interleavable(GgmlType t, int64_t rows, int64_t cols);
// Whether the active ISA has a SIMD kernel for x16 of t (only then does
// repacking at load pay off).
bool interleave_preferred(GgmlType t);

// src: [rows][row_bytes] in the GGUF layout; dst: the same byte count, x16.
// Requires interleavable(t, rows, cols).
void interleave(GgmlType t, const void* src, void* dst, int64_t rows, int64_t cols);
// The inverse (tests, and readers of single rows).
void deinterleave(GgmlType t, const void* src, void* dst, int64_t rows, int64_t cols);
// Row `lane` (0..15) of one x16 group [cols / block][16 * block bytes] back
// in the GGUF layout: out [row bytes].
void deinterleave_row(GgmlType t, const uint8_t* group, int lane, int64_t cols, uint8_t* out);

}  // namespace cellar::kernels
