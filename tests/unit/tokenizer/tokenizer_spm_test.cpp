// SentencePiece-style BPE on vocabularies built in the test: score order,
// byte fallback, the space prefix and its defaults.
#include <gtest/gtest.h>

#include "tokenizer/tokenizer.h"
#include "tokenizer_test_vocab.h"

namespace cellar {
namespace {

using Strings = std::vector<std::string>;

TEST(TokenizerSpm, HighestScoringPairMergesFirst) {
  auto spec = test::spm_spec({{"▁", -1}, {"a", -1}, {"b", -1}, {"c", -1}, {"ab", -5}, {"bc", -2}, {"▁a", -9}});
  auto tok = Tokenizer::from_vocab(spec);
  EXPECT_EQ(test::spellings(*tok, tok->encode("abc", false, false)), (Strings{"▁a", "bc"}));

  spec.scores[spec.tokens.size() - 3] = -1;  // "ab" now beats "bc" and "▁a"
  tok = Tokenizer::from_vocab(spec);
  EXPECT_EQ(test::spellings(*tok, tok->encode("abc", false, false)), (Strings{"▁", "ab", "c"}));
}

TEST(TokenizerSpm, EqualScoresMergeLeftmostFirst) {
  auto tok = Tokenizer::from_vocab(test::spm_spec({{"▁", -1}, {"a", -1}, {"aa", -2}}));
  EXPECT_EQ(test::spellings(*tok, tok->encode("aaa", false, false)), (Strings{"▁", "aa", "a"}));
}

TEST(TokenizerSpm, SpacesBecomeWordMarkersAndComeBack) {
  auto tok = Tokenizer::from_vocab(test::spm_spec({{"▁", -1}, {"h", -1}, {"i", -1}, {"▁hi", -2}, {"hi", -3}}));
  const auto ids = tok->encode("hi hi", false, false);
  EXPECT_EQ(test::spellings(*tok, ids), (Strings{"▁hi", "▁hi"}));
  EXPECT_EQ(tok->decode(ids), " hi hi");
  EXPECT_EQ(tok->token_to_piece(ids[0]), " hi");
}

TEST(TokenizerSpm, AddSpacePrefixCanBeTurnedOff) {
  auto spec = test::spm_spec({{"▁", -1}, {"h", -1}, {"i", -1}, {"▁hi", -2}, {"hi", -3}});
  spec.add_space_prefix = false;
  auto tok = Tokenizer::from_vocab(spec);
  EXPECT_EQ(test::spellings(*tok, tok->encode("hi", false, false)), (Strings{"hi"}));
}

TEST(TokenizerSpm, UnknownCharactersFallBackToBytes) {
  auto tok = Tokenizer::from_vocab(test::spm_spec({{"▁", -1}}));
  const auto ids = tok->encode("é😀", false, false);
  EXPECT_EQ(test::spellings(*tok, ids), (Strings{"▁", "<0xC3>", "<0xA9>", "<0xF0>", "<0x9F>", "<0x98>", "<0x80>"}));
  EXPECT_EQ(tok->decode(ids), " é😀");
  EXPECT_EQ(tok->token_to_piece(ids[1]), "\xC3");
}

TEST(TokenizerSpm, InvalidUtf8SurvivesAsBytes) {
  auto tok = Tokenizer::from_vocab(test::spm_spec({{"▁", -1}, {"a", -1}}));
  const std::string text = "a\xFF\xC3";
  EXPECT_EQ(tok->decode(tok->encode(text, false, false)), " " + text);
}

TEST(TokenizerSpm, DefaultsToTokensZeroOneTwoAndAddsBos) {
  auto tok = Tokenizer::from_vocab(test::spm_spec({{"▁", -1}, {"a", -1}, {"▁a", -2}}));
  EXPECT_EQ(tok->bos_id(), 1);
  EXPECT_EQ(tok->eos_id(), 2);
  EXPECT_TRUE(tok->add_bos());
  EXPECT_FALSE(tok->add_eos());
  EXPECT_EQ(tok->encode("a", true, false), (std::vector<int32_t>{1, *tok->find_token("▁a")}));
  EXPECT_TRUE(tok->encode("", false, false).empty());
  EXPECT_EQ(tok->encode("", true, false), (std::vector<int32_t>{1}));
  EXPECT_EQ(tok->token_to_piece(1), "");  // control
  EXPECT_EQ(tok->token_to_piece(0), "");  // unknown
}

TEST(TokenizerSpm, TextAfterASpecialTokenGetsItsOwnSpacePrefix) {
  auto spec = test::spm_spec({{"▁", -1}, {"a", -1}, {"▁a", -2}});
  const int32_t user = test::add_token(spec, "<|user|>", TokenType::kControl);
  auto tok = Tokenizer::from_vocab(spec);
  const int32_t word = *tok->find_token("▁a");
  EXPECT_EQ(tok->encode("a<|user|>a", false, true), (std::vector<int32_t>{word, user, word}));
}

TEST(TokenizerSpm, Phi3MarkersStripFollowingWhitespace) {
  auto spec = test::spm_spec({{"▁", -1}, {"a", -1}, {"▁a", -2}});
  const int32_t user = test::add_token(spec, "<|user|>", TokenType::kUserDefined);
  const int32_t word = 3 + 256 + 2;
  spec.name = "Phi3 mini";
  auto phi3 = Tokenizer::from_vocab(spec);
  EXPECT_EQ(phi3->encode("<|user|> \n a", false, false), (std::vector<int32_t>{user, word}));

  spec.name = "other";
  auto plain = Tokenizer::from_vocab(spec);
  EXPECT_GT(plain->encode("<|user|> \n a", false, false).size(), 2u);
}

}  // namespace
}  // namespace cellar
