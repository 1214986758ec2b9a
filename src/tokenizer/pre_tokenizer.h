#pragma once
// Regex pre-tokenization for byte-level BPE: text is cut into words before
// merges run, so merges never cross a word boundary. The regexes are those of
// each model's tokenizer.json (`pre_tokenizer` -> Split -> Regex), in the form
// llama.cpp runs them (src/llama-vocab.cpp), evaluated with ICU so \p{L},
// \p{N} and look-ahead behave as in the reference implementations.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <unicode/uversion.h>

U_NAMESPACE_BEGIN
class RegexPattern;
U_NAMESPACE_END

namespace cellar {

struct PreTokenizerConfig {
  // Applied in order: each regex splits every piece the previous one left;
  // text between matches stays a piece of its own.
  std::vector<std::string> regexes;
  bool ignore_merges = false;  // a word that is already a token skips the merges (Llama 3)
  bool add_bos = false;        // default of tokenizer.ggml.add_bos_token for this family
  bool has_bos = true;         // false: the family defines no BOS token (ChatGLM 4)
};

// Configuration for a `tokenizer.ggml.pre` name, nullopt when unknown.
std::optional<PreTokenizerConfig> pre_tokenizer_config(std::string_view pre);

// Names accepted by pre_tokenizer_config, for error messages.
std::string known_pre_tokenizers();

class PreTokenizer {
 public:
  // Throws TokenizerError when a regex does not compile.
  explicit PreTokenizer(const std::vector<std::string>& regexes);
  ~PreTokenizer();
  PreTokenizer(const PreTokenizer&) = delete;
  PreTokenizer& operator=(const PreTokenizer&) = delete;

  // Words of `text` in order, as UTF-8; concatenated they give `text` with
  // invalid UTF-8 bytes replaced by U+FFFD. Safe to call from many threads.
  std::vector<std::string> split(std::string_view text) const;

 private:
  std::vector<std::unique_ptr<icu::RegexPattern>> patterns_;
};

}  // namespace cellar
