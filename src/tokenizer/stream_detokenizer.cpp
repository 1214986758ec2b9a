#include "tokenizer/stream_detokenizer.h"

#include "tokenizer/tokenizer.h"
#include "tokenizer/utf8.h"

namespace cellar {
namespace {
constexpr std::string_view kReplacementUtf8 = "\xEF\xBF\xBD";
}

std::string StreamDetokenizer::push(int32_t id) {
  pending_ += tok_.token_to_piece(id);
  return drain(false);
}

std::string StreamDetokenizer::flush() { return drain(true); }

std::string StreamDetokenizer::drain(bool final) {
  std::string out;
  size_t i = 0;
  while (i < pending_.size()) {
    const int n = utf8::complete_sequence(std::string_view(pending_).substr(i));
    if (n > 0) {
      out.append(pending_, i, n);
      i += n;
    } else if (n == 0) {
      out += kReplacementUtf8;
      ++i;
    } else if (final) {
      out += kReplacementUtf8;
      i = pending_.size();
    } else {
      break;
    }
  }
  pending_.erase(0, i);
  return out;
}

}  // namespace cellar
