// StreamDetokenizer: never releases half a UTF-8 character.
#include <gtest/gtest.h>

#include "tokenizer/stream_detokenizer.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer_test_vocab.h"

namespace cellar {
namespace {

class StreamTest : public ::testing::Test {
 protected:
  void SetUp() override { tok_ = Tokenizer::from_vocab(test::spm_spec({{"▁", -1}, {"a", -1}})); }
  // The byte-fallback token of one byte.
  int32_t byte(uint8_t b) const {
    char hex[8];
    std::snprintf(hex, sizeof hex, "<0x%02X>", b);
    return *tok_->find_token(hex);
  }
  std::unique_ptr<Tokenizer> tok_;
};

TEST_F(StreamTest, HoldsBackEmojiUntilComplete) {
  StreamDetokenizer s(*tok_);
  const std::string emoji = "😀";
  for (size_t i = 0; i + 1 < emoji.size(); ++i) EXPECT_EQ(s.push(byte(emoji[i])), "");
  EXPECT_EQ(s.push(byte(emoji.back())), emoji);
  EXPECT_EQ(s.flush(), "");
}

TEST_F(StreamTest, ReleasesCompleteCharactersBeforeAnIncompleteOne) {
  StreamDetokenizer s(*tok_);
  const std::string zh = "中";
  EXPECT_EQ(s.push(*tok_->find_token("a")), "a");
  EXPECT_EQ(s.push(byte(zh[0])), "");
  EXPECT_EQ(s.push(byte(zh[1])), "");
  EXPECT_EQ(s.push(byte(zh[2])), zh);
}

TEST_F(StreamTest, EncodedChineseAndEmojiStreamWhole) {
  const std::string text = "你好😀世界👍🏽";
  const auto ids = tok_->encode(text, false, false);
  StreamDetokenizer s(*tok_);
  std::string out;
  for (int32_t id : ids) {
    const std::string chunk = s.push(id);
    if (!chunk.empty()) {
      EXPECT_NE(static_cast<uint8_t>(chunk[0]) & 0xC0, 0x80);
    }
    out += chunk;
  }
  EXPECT_EQ(out + s.flush(), " " + text);
}

TEST_F(StreamTest, InvalidBytesBecomeReplacementCharacters) {
  StreamDetokenizer s(*tok_);
  EXPECT_EQ(s.push(byte(0xFF)), "\xEF\xBF\xBD");
  EXPECT_EQ(s.push(byte(0xE4)), "");
  EXPECT_EQ(s.push(*tok_->find_token("a")), "\xEF\xBF\xBD" "a");  // lead byte cut short
}

TEST_F(StreamTest, FlushReplacesAnIncompleteTail) {
  StreamDetokenizer s(*tok_);
  EXPECT_EQ(s.push(byte(0xF0)), "");
  EXPECT_EQ(s.push(byte(0x9F)), "");
  EXPECT_EQ(s.flush(), "\xEF\xBF\xBD");
  EXPECT_EQ(s.flush(), "");
  EXPECT_EQ(s.push(*tok_->find_token("a")), "a");
}

}  // namespace
}  // namespace cellar
