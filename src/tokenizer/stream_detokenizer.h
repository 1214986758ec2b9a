#pragma once
// Incremental detokenization for streaming: a token may end in the middle of
// a UTF-8 character (byte-fallback and byte-level tokens split emoji and CJK
// characters), so only complete characters are released.
#include <cstdint>
#include <string>

namespace cellar {

class Tokenizer;

class StreamDetokenizer {
 public:
  explicit StreamDetokenizer(const Tokenizer& tok) : tok_(tok) {}

  // Text completed by this token: whole UTF-8 characters only; an incomplete
  // tail (at most 3 bytes) is held back. Bytes that can never form a valid
  // character are released as U+FFFD, so the output is always valid UTF-8.
  std::string push(int32_t id);
  // Whatever is held back, an incomplete tail becoming U+FFFD; resets the stream.
  std::string flush();

 private:
  std::string drain(bool final);

  const Tokenizer& tok_;
  std::string pending_;
};

}  // namespace cellar
