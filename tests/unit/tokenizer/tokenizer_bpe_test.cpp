// Byte-level BPE and its pre-tokenizers on vocabularies built in the test:
// merge order, word boundaries, Llama 3's ignore_merges, special tokens.
#include <gtest/gtest.h>

#include <thread>

#include "tokenizer/pre_tokenizer.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer_test_vocab.h"

namespace cellar {
namespace {

using Words = std::vector<std::string>;

Words split(std::string_view pre, std::string_view text) {
  auto config = pre_tokenizer_config(pre);
  EXPECT_TRUE(config.has_value()) << pre;
  return PreTokenizer(config->regexes).split(text);
}

TEST(TokenizerPreTokenizer, Gpt2SplitsWordsNumbersPunctuationAndSpaceRuns) {
  EXPECT_EQ(split("gpt-2", "Hello world's 2024!!  x"), (Words{"Hello", " world", "'s", " 2024", "!!", " ", " x"}));
}

TEST(TokenizerPreTokenizer, Llama3GroupsDigitsByThreeAndFoldsContractionCase) {
  EXPECT_EQ(split("llama-bpe", "Hello WORLD'S 12345 ok\n\n  x"),
            (Words{"Hello", " WORLD", "'S", " ", "123", "45", " ok", "\n\n", " ", " x"}));
}

TEST(TokenizerPreTokenizer, Qwen2SplitsSingleDigitsAndKeepsCjkWords) {
  EXPECT_EQ(split("qwen2", "I'M 123 你好\t\tabc"), (Words{"I", "'M", " ", "1", "2", "3", " 你好", "\t", "\tabc"}));
}

TEST(TokenizerPreTokenizer, DefaultAppliesItsRegexesInSequence) {
  EXPECT_EQ(split("default", "a, b 1234 $5"), (Words{"a", ",", " b", " ", "123", "4", " ", "$", "5"}));
  EXPECT_EQ(split("default", "x+=y"), (Words{"x", "+=", "y"}));
}

TEST(TokenizerPreTokenizer, InvalidUtf8BecomesReplacementCharacter) {
  const Words words = split("gpt-2", "ab\xFF" "cd");
  std::string joined;
  for (const auto& w : words) joined += w;
  EXPECT_EQ(joined, "ab\xEF\xBF\xBD" "cd");
}

TEST(TokenizerPreTokenizer, EveryKnownFamilyCompiles) {
  for (const char* pre : {"default", "gpt-2", "llama-bpe", "qwen2", "qwen35", "starcoder", "falcon", "deepseek-coder",
                          "deepseek-v3", "deepseek-llm", "poro-chat", "viking", "tekken", "gpt-4o", "seed-coder", "bailingmoe",
                          "chatglm-bpe", "dbrx"}) {
    auto config = pre_tokenizer_config(pre);
    ASSERT_TRUE(config) << pre;
    PreTokenizer p(config->regexes);
    std::string joined;
    for (const auto& w : p.split("Hi 'there', 12345 世界!\n")) joined += w;
    EXPECT_EQ(joined, "Hi 'there', 12345 世界!\n") << pre;
  }
  EXPECT_FALSE(pre_tokenizer_config("no-such-pre"));
}

TEST(TokenizerBpe, LowestRankMergeWins) {
  VocabSpec spec = test::byte_level_spec("gpt-2", {"ab"});
  test::add_token(spec, "bc", TokenType::kNormal);
  spec.merges.push_back("b c");  // ranked after "a b"
  auto tok = Tokenizer::from_vocab(spec);
  EXPECT_EQ(test::spellings(*tok, tok->encode("abc", false, false)), (std::vector<std::string>{"ab", "c"}));

  std::swap(spec.merges.front(), spec.merges.back());  // now "b c" first
  tok = Tokenizer::from_vocab(spec);
  EXPECT_EQ(test::spellings(*tok, tok->encode("abc", false, false)), (std::vector<std::string>{"a", "bc"}));
}

TEST(TokenizerBpe, MergesNeverCrossWordBoundaries) {
  // "o " would merge, but the pre-tokenizer puts the space in the next word.
  auto tok = Tokenizer::from_vocab(test::byte_level_spec("gpt-2", {"hello", "o ", " world"}));
  EXPECT_EQ(test::spellings(*tok, tok->encode("hello world", false, false)),
            (std::vector<std::string>{"hello", "Ġworld"}));
  EXPECT_EQ(tok->decode(tok->encode("hello world", false, false)), "hello world");
}

TEST(TokenizerBpe, Llama3UsesWholeWordTokensWithoutMerges) {
  VocabSpec spec = test::byte_level_spec("llama-bpe", {});
  const int32_t word = test::add_token(spec, "Ġworld", TokenType::kNormal);  // no merge chain reaches it
  spec.merges.push_back("w o");
  test::add_token(spec, "wo", TokenType::kNormal);
  auto llama3 = Tokenizer::from_vocab(spec);
  EXPECT_EQ(llama3->encode(" world", false, false), (std::vector<int32_t>{word}));

  spec.pre = "gpt-2";  // same vocabulary, merges only
  auto gpt2 = Tokenizer::from_vocab(spec);
  EXPECT_EQ(test::spellings(*gpt2, gpt2->encode(" world", false, false)),
            (std::vector<std::string>{"Ġ", "wo", "r", "l", "d"}));
}

TEST(TokenizerBpe, ByteLevelRoundTripsEveryByteValue) {
  auto tok = Tokenizer::from_vocab(test::byte_level_spec("llama-bpe", {" the", "the"}));
  std::string all;
  for (int b = 1; b < 128; ++b) all.push_back(static_cast<char>(b));
  all += "é中😀 the\r\n";
  EXPECT_EQ(tok->decode(tok->encode(all, false, false)), all);
}

TEST(TokenizerBpe, ControlTokensNeedParseSpecial) {
  VocabSpec spec = test::byte_level_spec("qwen2", {"user"});
  const int32_t start = test::add_token(spec, "<|im_start|>", TokenType::kControl);
  const int32_t end = test::add_token(spec, "<|im_end|>", TokenType::kControl);
  auto tok = Tokenizer::from_vocab(spec);
  const int32_t user = *tok->find_token("user");
  EXPECT_EQ(tok->encode("<|im_start|>user<|im_end|>", false, true), (std::vector<int32_t>{start, user, end}));

  const auto plain = tok->encode("<|im_start|>user<|im_end|>", false, false);
  EXPECT_EQ(std::count(plain.begin(), plain.end(), start), 0);
  EXPECT_EQ(tok->decode(plain), "<|im_start|>user<|im_end|>");
  EXPECT_EQ(tok->token_to_piece(start), "");
  EXPECT_TRUE(tok->is_eog(end));
  EXPECT_EQ(tok->eot_id(), end);
  EXPECT_FALSE(tok->is_eog(start));
}

TEST(TokenizerBpe, UserDefinedTokensAreAlwaysMatched) {
  VocabSpec spec = test::byte_level_spec("gpt-2", {});
  const int32_t marker = test::add_token(spec, "<tool>", TokenType::kUserDefined);
  auto tok = Tokenizer::from_vocab(spec);
  for (bool parse_special : {false, true}) {
    const auto ids = tok->encode("a<tool>b", false, parse_special);
    EXPECT_EQ(ids.size(), 3u);
    EXPECT_EQ(ids[1], marker);
  }
  EXPECT_EQ(tok->decode(tok->encode("a<tool>b", false, false)), "a<tool>b");
}

TEST(TokenizerBpe, LongestSpecialTokenWins) {
  VocabSpec spec = test::byte_level_spec("gpt-2", {});
  test::add_token(spec, "<|a|>", TokenType::kControl);
  const int32_t longer = test::add_token(spec, "<|a|><|a|>", TokenType::kControl);
  auto tok = Tokenizer::from_vocab(spec);
  EXPECT_EQ(tok->encode("<|a|><|a|>", false, true), (std::vector<int32_t>{longer}));
}

TEST(TokenizerBpe, BosFollowsFamilyDefaultAndMetadata) {
  VocabSpec spec = test::byte_level_spec("llama-bpe", {});
  const int32_t bos = test::add_token(spec, "<|begin_of_text|>", TokenType::kControl);
  spec.bos_id = bos;
  auto llama3 = Tokenizer::from_vocab(spec);
  EXPECT_TRUE(llama3->add_bos());  // Llama 3 family default
  EXPECT_EQ(llama3->encode("a", true, false).front(), bos);
  EXPECT_EQ(llama3->encode("a", false, false).size(), 1u);

  spec.add_bos = false;
  EXPECT_FALSE(Tokenizer::from_vocab(spec)->add_bos());

  spec.add_bos.reset();
  spec.pre = "qwen2";  // no BOS by default
  EXPECT_FALSE(Tokenizer::from_vocab(spec)->add_bos());

  spec.bos_id.reset();
  spec.add_bos = true;  // asked for, but there is no BOS token
  auto none = Tokenizer::from_vocab(spec);
  EXPECT_EQ(none->bos_id(), -1);
  EXPECT_FALSE(none->add_bos());
}

TEST(TokenizerBpe, AddEosAppendsEos) {
  VocabSpec spec = test::byte_level_spec("gpt-2", {});
  const int32_t eos = test::add_token(spec, "<|endoftext|>", TokenType::kControl);
  spec.eos_id = eos;
  spec.add_eos = true;
  auto tok = Tokenizer::from_vocab(spec);
  EXPECT_EQ(tok->encode("a", true, false).back(), eos);
  EXPECT_NE(tok->encode("a", false, false).back(), eos);
}

TEST(TokenizerBpe, ConcurrentEncodesAgree) {
  auto tok = Tokenizer::from_vocab(test::byte_level_spec("llama-bpe", {" hello", " world", "hello"}));
  const std::string text = "hello world, hello again 12345 \n\n world";
  const auto expected = tok->encode(text, false, false);
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      bool same = true;
      for (int i = 0; i < 200; ++i) same = same && tok->encode(text, false, false) == expected;
      ok[t] = same;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok, std::vector<int>(4, 1));
}

}  // namespace
}  // namespace cellar
