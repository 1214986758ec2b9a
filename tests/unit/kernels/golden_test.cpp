// Bit-exactness against ggml: blocks with known bytes are dequantized and
// compared with values computed here, independently, by transcribing the
// loops of ggml's dequantize_row_* (ggml/src/ggml-quants.c) over raw bytes.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include "kernels/kernels.h"

namespace cellar::kernels {
namespace {

std::vector<uint8_t> random_bytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint8_t> b(n);
  for (auto& v : b) v = static_cast<uint8_t>(rng());
  return b;
}

void put_half(std::vector<uint8_t>& b, size_t off, float v) {
  const uint16_t h = fp32_to_fp16(v);
  std::memcpy(b.data() + off, &h, 2);
}
float half_at(const std::vector<uint8_t>& b, size_t off) {
  uint16_t h;
  std::memcpy(&h, b.data() + off, 2);
  return fp16_to_fp32(h);
}

std::vector<float> dequant(GgmlType t, const std::vector<uint8_t>& b, int n) {
  std::vector<float> y(n);
  dequantize_row(t, b.data(), y.data(), n);
  return y;
}

void expect_same(const std::vector<float>& got, const std::vector<float>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], want[i]) << "element " << i;
}

TEST(Golden, Q4_0HandComputed) {
  std::vector<uint8_t> b(18, 0x88);  // every quant 8 -> 0
  put_half(b, 0, 0.5f);
  b[2] = 0x2F;  // element 0: 15 - 8 = 7, element 16: 2 - 8 = -6
  const auto y = dequant(GgmlType::Q4_0, b, 32);
  EXPECT_EQ(y[0], 3.5f);
  EXPECT_EQ(y[16], -3.0f);
  EXPECT_EQ(y[1], 0.0f);
}

TEST(Golden, Q4_1AndQ5_0AndQ5_1AndQ8_0) {
  auto b = random_bytes(24, 1);
  put_half(b, 0, 0.25f);
  put_half(b, 2, -1.5f);
  std::vector<float> want(32);
  for (int j = 0; j < 16; ++j) {  // Q4_1: x*d + m
    want[j] = (b[4 + j] & 0xF) * 0.25f + -1.5f;
    want[j + 16] = (b[4 + j] >> 4) * 0.25f + -1.5f;
  }
  b.resize(20);
  expect_same(dequant(GgmlType::Q4_1, b, 32), want);

  b = random_bytes(22, 2);
  put_half(b, 0, 0.125f);
  uint32_t qh;
  std::memcpy(&qh, b.data() + 2, 4);
  for (int j = 0; j < 16; ++j) {  // Q5_0
    const int xh0 = ((qh >> (j + 0)) << 4) & 0x10;
    const int xh1 = ((qh >> (j + 12))) & 0x10;
    want[j] = (((b[6 + j] & 0x0F) | xh0) - 16) * 0.125f;
    want[j + 16] = (((b[6 + j] >> 4) | xh1) - 16) * 0.125f;
  }
  expect_same(dequant(GgmlType::Q5_0, b, 32), want);

  b = random_bytes(24, 3);
  put_half(b, 0, 0.375f);
  put_half(b, 2, 2.0f);
  std::memcpy(&qh, b.data() + 4, 4);
  for (int j = 0; j < 16; ++j) {  // Q5_1
    const int xh0 = ((qh >> (j + 0)) << 4) & 0x10;
    const int xh1 = ((qh >> (j + 12))) & 0x10;
    want[j] = ((b[8 + j] & 0x0F) | xh0) * 0.375f + 2.0f;
    want[j + 16] = ((b[8 + j] >> 4) | xh1) * 0.375f + 2.0f;
  }
  expect_same(dequant(GgmlType::Q5_1, b, 32), want);

  b = random_bytes(34, 4);
  put_half(b, 0, 0.01f);
  for (int j = 0; j < 32; ++j) want[j] = static_cast<int8_t>(b[2 + j]) * half_at(b, 0);
  expect_same(dequant(GgmlType::Q8_0, b, 32), want);
}

TEST(Golden, Q2_K) {
  auto b = random_bytes(84, 5);
  put_half(b, 80, 0.1f);
  put_half(b, 82, 0.05f);
  const float d = half_at(b, 80), mn = half_at(b, 82);
  std::vector<float> want;
  const uint8_t* q = b.data() + 16;
  int is = 0;
  for (int n = 0; n < 256; n += 128) {
    int shift = 0;
    for (int j = 0; j < 4; ++j) {
      for (int half = 0; half < 2; ++half) {
        const uint8_t sc = b[is++];
        const float dl = d * (sc & 0xF), ml = mn * (sc >> 4);
        for (int l = 0; l < 16; ++l) want.push_back(dl * static_cast<int8_t>((q[l + 16 * half] >> shift) & 3) - ml);
      }
      shift += 2;
    }
    q += 32;
  }
  expect_same(dequant(GgmlType::Q2_K, b, 256), want);
}

TEST(Golden, Q3_K) {
  auto b = random_bytes(110, 6);
  put_half(b, 108, 0.07f);
  const float d_all = half_at(b, 108);
  uint32_t aux[4];
  std::memcpy(aux, b.data() + 96, 12);
  const uint32_t kmask1 = 0x03030303, kmask2 = 0x0f0f0f0f, tmp = aux[2];
  aux[2] = ((aux[0] >> 4) & kmask2) | (((tmp >> 4) & kmask1) << 4);
  aux[3] = ((aux[1] >> 4) & kmask2) | (((tmp >> 6) & kmask1) << 4);
  aux[0] = (aux[0] & kmask2) | (((tmp >> 0) & kmask1) << 4);
  aux[1] = (aux[1] & kmask2) | (((tmp >> 2) & kmask1) << 4);
  const auto* scales = reinterpret_cast<const int8_t*>(aux);
  const uint8_t* hm = b.data();
  const uint8_t* q = b.data() + 32;
  std::vector<float> want;
  int is = 0;
  uint8_t m = 1;
  for (int n = 0; n < 256; n += 128) {
    int shift = 0;
    for (int j = 0; j < 4; ++j) {
      for (int half = 0; half < 2; ++half) {
        const float dl = d_all * (scales[is++] - 32);
        for (int l = 16 * half; l < 16 * half + 16; ++l) {
          want.push_back(dl * (static_cast<int8_t>((q[l] >> shift) & 3) - ((hm[l] & m) ? 0 : 4)));
        }
      }
      shift += 2;
      m <<= 1;
    }
    q += 32;
  }
  expect_same(dequant(GgmlType::Q3_K, b, 256), want);
}

void scale_min_k4(int j, const uint8_t* q, uint8_t* d, uint8_t* m) {
  if (j < 4) {
    *d = q[j] & 63;
    *m = q[j + 4] & 63;
  } else {
    *d = (q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4);
    *m = (q[j + 4] >> 4) | ((q[j - 0] >> 6) << 4);
  }
}

TEST(Golden, Q4_KAndQ5_K) {
  for (bool five : {false, true}) {
    auto b = random_bytes(five ? 176 : 144, five ? 8 : 7);
    put_half(b, 0, 0.02f);
    put_half(b, 2, 0.03f);
    const float d = half_at(b, 0), mn = half_at(b, 2);
    const uint8_t* scales = b.data() + 4;
    const uint8_t* qh = b.data() + 16;
    const uint8_t* ql = b.data() + (five ? 48 : 16);
    std::vector<float> want;
    uint8_t u1 = 1, u2 = 2;
    for (int j = 0, is = 0; j < 256; j += 64, is += 2) {
      uint8_t sc, m;
      scale_min_k4(is + 0, scales, &sc, &m);
      const float d1 = d * sc, m1 = mn * m;
      scale_min_k4(is + 1, scales, &sc, &m);
      const float d2 = d * sc, m2 = mn * m;
      for (int l = 0; l < 32; ++l) want.push_back(d1 * ((ql[l] & 0xF) + (five && (qh[l] & u1) ? 16 : 0)) - m1);
      for (int l = 0; l < 32; ++l) want.push_back(d2 * ((ql[l] >> 4) + (five && (qh[l] & u2) ? 16 : 0)) - m2);
      ql += 32;
      u1 <<= 2;
      u2 <<= 2;
    }
    expect_same(dequant(five ? GgmlType::Q5_K : GgmlType::Q4_K, b, 256), want);
  }
}

TEST(Golden, Q6_K) {
  auto b = random_bytes(210, 9);
  put_half(b, 208, 0.004f);
  const float d = half_at(b, 208);
  const uint8_t* ql = b.data();
  const uint8_t* qh = b.data() + 128;
  const auto* sc = reinterpret_cast<const int8_t*>(b.data() + 192);
  std::vector<float> want(256);
  float* y = want.data();
  for (int n = 0; n < 256; n += 128) {
    for (int l = 0; l < 32; ++l) {
      const int is = l / 16;
      const int8_t q1 = static_cast<int8_t>((ql[l + 0] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
      const int8_t q2 = static_cast<int8_t>((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
      const int8_t q3 = static_cast<int8_t>((ql[l + 0] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
      const int8_t q4 = static_cast<int8_t>((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
      y[l + 0] = d * sc[is + 0] * q1;
      y[l + 32] = d * sc[is + 2] * q2;
      y[l + 64] = d * sc[is + 4] * q3;
      y[l + 96] = d * sc[is + 6] * q4;
    }
    y += 128;
    ql += 64;
    qh += 32;
    sc += 8;
  }
  expect_same(dequant(GgmlType::Q6_K, b, 256), want);
}

TEST(Golden, FloatTypes) {
  const uint16_t h[2] = {0x3C00, 0xC100};  // 1.0, -2.5
  float y[2];
  dequantize_row(GgmlType::F16, h, y, 2);
  EXPECT_EQ(y[0], 1.0f);
  EXPECT_EQ(y[1], -2.5f);
  const uint16_t bf[2] = {0x3F80, 0xC020};  // 1.0, -2.5
  dequantize_row(GgmlType::BF16, bf, y, 2);
  EXPECT_EQ(y[0], 1.0f);
  EXPECT_EQ(y[1], -2.5f);
}

}  // namespace
}  // namespace cellar::kernels
