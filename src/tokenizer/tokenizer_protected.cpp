// Tokenizer::encode_protected: special-token parsing everywhere except inside
// spans of untrusted text (chat message contents). Fragments are stitched so
// that a protected span and the raw text around it are tokenized as one run,
// exactly as if the whole prompt had been tokenized without those specials.
#include <algorithm>

#include "tokenizer/special_partition.h"
#include "tokenizer/tokenizer.h"

namespace cellar {
namespace {

void append_fragments(std::vector<TextFragment>& out, std::vector<TextFragment> part, size_t offset) {
  for (TextFragment f : part) {
    if (f.token < 0) {
      f.begin += offset;
      if (!out.empty() && out.back().token < 0 && out.back().begin + out.back().size == f.begin) {
        out.back().size += f.size;  // contiguous raw text: one run
        continue;
      }
    }
    out.push_back(f);
  }
}

}  // namespace

std::vector<int32_t> Tokenizer::encode_protected(std::string_view text,
                                                 std::span<const std::pair<size_t, size_t>> protected_spans,
                                                 bool add_special) const {
  std::vector<TextFragment> frags;
  size_t pos = 0;
  auto take = [&](size_t end, bool parse_special) {
    end = std::min(end, text.size());
    if (end <= pos) return;
    append_fragments(frags, partition_special(text.substr(pos, end - pos), *vocab_, specials_, parse_special), pos);
    pos = end;
  };
  for (const auto& [begin, end] : protected_spans) {
    if (begin < pos) continue;  // overlapping span: already covered
    take(begin, true);
    take(end, false);
  }
  take(text.size(), true);

  std::vector<int32_t> out;
  if (add_special && add_bos_) out.push_back(bos_);
  bool after_special = true;
  for (const TextFragment& frag : frags) {
    if (frag.token >= 0) {
      out.push_back(frag.token);
      after_special = true;
    } else {
      encode_text(text.substr(frag.begin, frag.size), after_special, out);
      after_special = false;
    }
  }
  if (add_special && add_eos_) out.push_back(eos_);
  return out;
}

}  // namespace cellar
