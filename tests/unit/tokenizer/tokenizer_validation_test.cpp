// Loading from GGUF metadata and rejecting bad metadata with messages that
// name the offending key.
#include <gtest/gtest.h>

#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer_test_vocab.h"

namespace cellar {
namespace {

// The error message of building `spec`, or "" if it builds.
std::string build_error(const VocabSpec& spec) {
  try {
    Tokenizer::from_vocab(spec);
  } catch (const TokenizerError& e) {
    return e.what();
  }
  return "";
}

std::string load_error(GgufWriter& w) {
  const auto bytes = w.to_bytes();
  auto file = GgufFile::from_bytes(bytes.data(), bytes.size());
  try {
    Tokenizer::from_gguf(*file);
  } catch (const TokenizerError& e) {
    return e.what();
  }
  return "";
}

GgufWriter spm_writer() {
  GgufWriter w;
  w.set_string("general.architecture", "no-such-arch");  // tokenizers must not care
  w.set_string("tokenizer.ggml.model", "llama");
  w.set_string_array("tokenizer.ggml.tokens", {"<unk>", "<s>", "</s>", "▁", "h", "i", "▁hi", "▁h"});
  w.set_f32_array("tokenizer.ggml.scores", {0, 0, 0, -1, -1, -1, -2, -3});
  w.set_i32_array("tokenizer.ggml.token_type", {2, 3, 3, 1, 1, 1, 1, 1});
  w.set_u32("tokenizer.ggml.bos_token_id", 1);
  w.set_u32("tokenizer.ggml.eos_token_id", 2);
  return w;
}

TEST(TokenizerGguf, LoadsFromMetadataOfAnyArchitecture) {
  GgufWriter w = spm_writer();
  w.set_bool("tokenizer.ggml.add_bos_token", false);
  const auto bytes = w.to_bytes();
  auto tok = Tokenizer::from_gguf(*GgufFile::from_bytes(bytes.data(), bytes.size()));
  EXPECT_EQ(tok->n_vocab(), 8);
  EXPECT_FALSE(tok->add_bos());
  EXPECT_EQ(tok->encode("hi", true, false), (std::vector<int32_t>{6}));
  EXPECT_EQ(tok->decode(std::vector<int32_t>{1, 6, 2}), " hi");
}

TEST(TokenizerGguf, MissingTokenizerIsReported) {
  GgufWriter w;
  w.set_string("general.architecture", "llama");
  EXPECT_NE(load_error(w).find("tokenizer.ggml.model"), std::string::npos);
}

TEST(TokenizerGguf, WrongValueTypeIsATokenizerError) {
  GgufWriter w = spm_writer();
  w.set_u32("tokenizer.ggml.tokens", 3);
  EXPECT_NE(load_error(w).find("tokenizer.ggml.tokens"), std::string::npos);
}

TEST(TokenizerGguf, Gpt2WithoutMergesIsRejected) {
  GgufWriter w;
  w.set_string("tokenizer.ggml.model", "gpt2");
  w.set_string_array("tokenizer.ggml.tokens", {"a", "b"});
  EXPECT_NE(load_error(w).find("tokenizer.ggml.merges"), std::string::npos);
}

TEST(TokenizerGguf, BadSpecialIdIsRejected) {
  GgufWriter w = spm_writer();
  w.set_u32("tokenizer.ggml.eos_token_id", 70000);
  const std::string err = load_error(w);
  EXPECT_NE(err.find("tokenizer.ggml.eos_token_id = 70000"), std::string::npos) << err;
}

TEST(TokenizerValidation, MismatchedArrayLengths) {
  auto spec = test::spm_spec({{"▁", -1}});
  spec.scores.pop_back();
  EXPECT_NE(build_error(spec).find("tokenizer.ggml.scores"), std::string::npos);

  spec = test::spm_spec({{"▁", -1}});
  spec.token_types.push_back(1);
  EXPECT_NE(build_error(spec).find("tokenizer.ggml.token_type"), std::string::npos);
}

TEST(TokenizerValidation, BadTokenType) {
  auto spec = test::spm_spec({{"▁", -1}});
  spec.token_types[5] = 9;
  EXPECT_NE(build_error(spec).find("tokenizer.ggml.token_type[5] = 9"), std::string::npos);
}

TEST(TokenizerValidation, EmptyVocabularyAndUnknownModels) {
  VocabSpec spec;
  spec.model = "llama";
  EXPECT_NE(build_error(spec).find("tokenizer.ggml.tokens is empty"), std::string::npos);

  spec = test::spm_spec({});
  spec.model = "t5";
  EXPECT_NE(build_error(spec).find("unsupported tokenizer model 't5'"), std::string::npos);

  spec = test::byte_level_spec("no-such-pre", {});
  EXPECT_NE(build_error(spec).find("unknown pre-tokenizer 'no-such-pre'"), std::string::npos);
}

TEST(TokenizerValidation, MalformedMerge) {
  auto spec = test::byte_level_spec("gpt-2", {"ab"});
  spec.merges.push_back("abc");
  EXPECT_NE(build_error(spec).find("tokenizer.ggml.merges[1] = 'abc'"), std::string::npos);
}

TEST(TokenizerValidation, OutOfRangeIds) {
  auto spec = test::spm_spec({{"▁", -1}});
  spec.bos_id = 100000;
  EXPECT_NE(build_error(spec).find("tokenizer.ggml.bos_token_id"), std::string::npos);
  spec.bos_id = -1;  // how converters write "none"
  EXPECT_EQ(Tokenizer::from_vocab(spec)->bos_id(), -1);

  auto tok = Tokenizer::from_vocab(test::spm_spec({{"▁", -1}}));
  EXPECT_THROW(tok->token_to_piece(-1), TokenizerError);
  EXPECT_THROW(tok->decode(std::vector<int32_t>{5, tok->n_vocab()}), TokenizerError);
  EXPECT_THROW(tok->token_text(tok->n_vocab()), TokenizerError);
  EXPECT_FALSE(tok->is_eog(-1));
  EXPECT_FALSE(tok->find_token("no such token"));
}

}  // namespace
}  // namespace cellar
