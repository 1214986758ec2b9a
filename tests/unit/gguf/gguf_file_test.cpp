#include <gtest/gtest.h>

#include <cstring>

#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "support/test_support.h"

namespace cellar {
namespace {

// A small valid file: every scalar type, strings, nested arrays, two tensors.
GgufWriter sample_writer() {
  GgufWriter w;
  w.set_string("general.architecture", "llama");
  w.set_u32("llama.block_count", 2);
  w.set_i32("test.i32", -7);
  w.set_u64("test.u64", 1ull << 40);
  w.set_f32("test.f32", 0.5f);
  w.set_bool("test.bool", true);
  w.set_string_array("tokenizer.ggml.tokens", {"<s>", "</s>", "hello", "\xe4\xbd\xa0"});
  w.set_f32_array("tokenizer.ggml.scores", {0.f, -1.f, -2.5f, -3.f});
  w.set_i32_array("tokenizer.ggml.token_type", {3, 3, 1, 1});
  w.add_tensor("a", GgmlType::F32, {4, 2}, [](uint8_t* dst, size_t n) {
    for (size_t i = 0; i < n / 4; ++i) {
      float f = static_cast<float>(i);
      std::memcpy(dst + 4 * i, &f, 4);
    }
  });
  w.add_tensor("b", GgmlType::Q8_0, {64}, [](uint8_t* dst, size_t n) { std::memset(dst, 1, n); });
  return w;
}

TEST(GgufFile, RoundTripsEveryValueType) {
  auto bytes = sample_writer().to_bytes();
  auto f = GgufFile::from_bytes(bytes.data(), bytes.size());
  EXPECT_EQ(f->version(), 3u);
  EXPECT_EQ(f->architecture(), "llama");
  EXPECT_EQ(f->get_int("llama.block_count"), 2);
  EXPECT_EQ(f->get_int("test.i32"), -7);
  EXPECT_EQ(f->get_int("test.u64"), int64_t(1) << 40);
  EXPECT_DOUBLE_EQ(*f->get_float("test.f32"), 0.5);
  EXPECT_EQ(f->get_bool("test.bool"), true);
  auto toks = f->get_string_array("tokenizer.ggml.tokens");
  ASSERT_TRUE(toks);
  ASSERT_EQ(toks->size(), 4u);
  EXPECT_EQ((*toks)[3], "\xe4\xbd\xa0");
  auto scores = f->get_float_array("tokenizer.ggml.scores");
  ASSERT_TRUE(scores);
  EXPECT_FLOAT_EQ((*scores)[2], -2.5f);
  EXPECT_EQ((*f->get_int_array("tokenizer.ggml.token_type"))[0], 3);
  EXPECT_FALSE(f->get_string("missing.key"));
  EXPECT_THROW(f->get_string("test.i32"), GgufError);

  ASSERT_EQ(f->tensors().size(), 2u);
  const auto* a = f->find_tensor("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->n_elements, 8);
  EXPECT_EQ(a->rows(), 2);
  float v;
  std::memcpy(&v, f->tensor_data(*a) + 4 * 5, 4);
  EXPECT_EQ(v, 5.f);
  const auto* b = f->find_tensor("b");
  EXPECT_EQ(b->n_bytes, 2u * 34u);
  EXPECT_EQ((f->data_offset() + b->offset) % f->alignment(), 0u);
}

TEST(GgufFile, EveryTruncationIsACleanError) {
  auto bytes = sample_writer().to_bytes();
  auto full = GgufFile::from_bytes(bytes.data(), bytes.size());
  // Padding after the last tensor's bytes is not needed; everything before it is.
  uint64_t needed = 0;
  for (const auto& t : full->tensors()) needed = std::max(needed, full->data_offset() + t.offset + t.n_bytes);
  for (size_t n = 0; n < bytes.size(); ++n) {
    if (n < needed) {
      EXPECT_THROW(GgufFile::from_bytes(bytes.data(), n), GgufError) << "truncated at " << n;
    } else {
      EXPECT_NO_THROW(GgufFile::from_bytes(bytes.data(), n)) << "truncated at " << n;
    }
  }
}

// Patches a little-endian value at `off` and expects a GgufError mentioning `needle`.
template <typename T>
void expect_rejected(std::vector<uint8_t> bytes, size_t off, T value, const std::string& needle) {
  std::memcpy(bytes.data() + off, &value, sizeof(T));
  try {
    GgufFile::from_bytes(bytes.data(), bytes.size());
    ADD_FAILURE() << "accepted a file with " << needle;
  } catch (const GgufError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(GgufFile, RejectsHugeCountsAndLengths) {
  auto bytes = sample_writer().to_bytes();
  expect_rejected<uint32_t>(bytes, 0, 0x12345678, "bad magic");
  expect_rejected<uint32_t>(bytes, 4, 1, "version 1");
  expect_rejected<uint32_t>(bytes, 4, 99, "version 99");
  expect_rejected<uint64_t>(bytes, 8, ~0ull, "tensor count");
  expect_rejected<uint64_t>(bytes, 16, ~0ull >> 1, "metadata count");
  expect_rejected<uint64_t>(bytes, 24, ~0ull, "length");  // first key length
}

// Builds a file whose tensors are described by hand, to reach the range checks.
std::vector<uint8_t> file_with_tensor_header(uint32_t n_dims, std::vector<uint64_t> dims, uint32_t type,
                                             std::vector<uint64_t> offsets, size_t data_bytes) {
  std::vector<uint8_t> out;
  auto put = [&](auto v) {
    size_t at = out.size();
    out.resize(at + sizeof(v));
    std::memcpy(out.data() + at, &v, sizeof(v));
  };
  put(uint32_t{0x46554747});
  put(uint32_t{3});
  put(uint64_t{offsets.size()});
  put(uint64_t{0});
  for (size_t i = 0; i < offsets.size(); ++i) {
    std::string name = "t" + std::to_string(i);
    put(uint64_t{name.size()});
    out.insert(out.end(), name.begin(), name.end());
    put(n_dims);
    for (auto d : dims) put(d);
    put(type);
    put(offsets[i]);
  }
  out.resize((out.size() + 31) / 32 * 32 + data_bytes, 0);
  return out;
}

void expect_header_rejected(const std::vector<uint8_t>& bytes, const std::string& needle) {
  try {
    GgufFile::from_bytes(bytes.data(), bytes.size());
    ADD_FAILURE() << "accepted: " << needle;
  } catch (const GgufError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(GgufFile, RejectsBadTensorDescriptions) {
  EXPECT_NO_THROW(GgufFile::from_bytes(file_with_tensor_header(1, {8}, 0, {0}, 32).data(),
                                       file_with_tensor_header(1, {8}, 0, {0}, 32).size()));
  expect_header_rejected(file_with_tensor_header(5, {1, 1, 1, 1, 1}, 0, {0}, 32), "n_dims 5");
  expect_header_rejected(file_with_tensor_header(2, {1ull << 40, 1ull << 40}, 0, {0}, 32), "overflows");
  expect_header_rejected(file_with_tensor_header(1, {8}, 77, {0}, 32), "unknown tensor type id 77");
  expect_header_rejected(file_with_tensor_header(1, {8}, 0, {16}, 64), "not aligned");
  expect_header_rejected(file_with_tensor_header(1, {8}, 0, {1ull << 62}, 64), "past the end");
  expect_header_rejected(file_with_tensor_header(1, {16}, 0, {0, 32}, 128), "overlaps");
  expect_header_rejected(file_with_tensor_header(1, {33}, 2, {0}, 64), "block size");
  expect_header_rejected(file_with_tensor_header(1, {0}, 0, {0}, 64), "is zero");
}

TEST(GgufFile, OpenReportsMissingFile) {
  try {
    GgufFile::open("/nonexistent/model.gguf");
    FAIL();
  } catch (const GgufError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/model.gguf"), std::string::npos);
  }
}

TEST(GgufFile, WriterFileRoundTripOnDisk) {
  test::TempDir dir;
  auto path = (dir / "m.gguf").string();
  sample_writer().write(path);
  auto f = GgufFile::open(path);
  EXPECT_EQ(f->tensors().size(), 2u);
  EXPECT_EQ(f->file_size(), sample_writer().to_bytes().size());
}

TEST(GgufFile, ReadsReferenceModel) {
  CELLAR_REQUIRE_REFDATA();
  auto f = GgufFile::open((test::refdata_dir() / "models" / "stories260K.gguf").string());
  EXPECT_EQ(f->architecture(), "llama");
  EXPECT_EQ(f->get_int("llama.block_count"), 5);
  EXPECT_EQ(f->get_int("llama.embedding_length"), 64);
  const auto* emb = f->find_tensor("token_embd.weight");
  ASSERT_NE(emb, nullptr);
  EXPECT_EQ(emb->ne(0), 64);
  EXPECT_EQ(emb->ne(1), 512);
}

TEST(GgufFile, ReadsEveryReferenceVocabulary) {
  CELLAR_REQUIRE_REFDATA();
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(test::refdata_dir() / "vocab")) {
    if (e.path().extension() != ".gguf") continue;
    auto f = GgufFile::open(e.path().string());
    EXPECT_TRUE(f->get_string_array("tokenizer.ggml.tokens")) << e.path();
    ++n;
  }
  EXPECT_GT(n, 0);
}

}  // namespace
}  // namespace cellar
