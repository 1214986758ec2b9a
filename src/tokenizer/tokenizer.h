#pragma once
// Text <-> token ids for GGUF models, built from `tokenizer.ggml.*` metadata.
// Two models are supported, both matching llama.cpp's output id for id:
//   "llama": SentencePiece BPE over token scores with byte fallback (spm.h);
//   "gpt2":  byte-level BPE over ranked merges after a regex pre-tokenizer
//            chosen by `tokenizer.ggml.pre` (bpe.h, pre_tokenizer.h).
// Special tokens (control, user-defined) are cut out of the text first
// (special_partition.h). A Tokenizer is immutable after construction and safe
// to use from many threads.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/vocab_spec.h"

namespace cellar {

class GgufFile;
class PreTokenizer;
class Vocab;

class TokenizerError : public std::runtime_error {
  using runtime_error::runtime_error;
};

class Tokenizer {
 public:
  // Reads the tokenizer metadata of `file`; the architecture need not be
  // runnable and no tensors are needed. Throws TokenizerError.
  static std::unique_ptr<Tokenizer> from_gguf(const GgufFile& file);
  // Builds a tokenizer from in-memory metadata (tests, tools). Throws TokenizerError.
  static std::unique_ptr<Tokenizer> from_vocab(VocabSpec spec);
  ~Tokenizer();
  Tokenizer(const Tokenizer&) = delete;
  Tokenizer& operator=(const Tokenizer&) = delete;

  // add_special: BOS/EOS as the model asks (add_bos()/add_eos()).
  // parse_special: control-token spellings in `text` become those tokens;
  // otherwise they are tokenized as ordinary text.
  std::vector<int32_t> encode(std::string_view text, bool add_special, bool parse_special) const;
  // Like encode(text, add_special, true), except that control-token spellings
  // inside the `protected_spans` ([begin, end) byte ranges, sorted, disjoint)
  // stay ordinary text. Chat prompts use it: the template's markup is parsed,
  // what users typed never is (tokenizer_protected.cpp).
  std::vector<int32_t> encode_protected(std::string_view text,
                                        std::span<const std::pair<size_t, size_t>> protected_spans,
                                        bool add_special) const;

  // Bytes this token contributes to the text (control tokens give "").
  // Throws TokenizerError for an id outside the vocabulary.
  std::string token_to_piece(int32_t id) const;
  // Concatenation of the pieces; no leading space is stripped.
  std::string decode(std::span<const int32_t> ids) const;

  int32_t n_vocab() const;
  int32_t bos_id() const { return bos_; }  // -1 when absent
  int32_t eos_id() const { return eos_; }
  int32_t eot_id() const { return eot_; }
  int32_t pad_id() const { return pad_; }
  int32_t unk_id() const { return unk_; }
  // EOS, EOT and every other end-of-generation token (<|im_end|>, <|eot_id|>, <|end|>, ...).
  bool is_eog(int32_t id) const;
  std::vector<int32_t> eog_ids() const;
  bool is_control(int32_t id) const;
  bool add_bos() const { return add_bos_; }
  bool add_eos() const { return add_eos_; }

  // Raw vocabulary spelling (e.g. "▁Hello", "Ġworld", "<0x0A>"). Throws for a bad id.
  std::string_view token_text(int32_t id) const;
  std::optional<int32_t> find_token(std::string_view text) const;
  std::string_view model_name() const { return model_name_; }
  std::string_view pre_name() const { return pre_name_; }

 private:
  enum class Model { kSpm, kBpe };

  explicit Tokenizer(VocabSpec spec);
  void resolve_ids(const VocabSpec& spec, bool family_has_bos, bool family_add_bos);
  void mark_special_tokens(std::string_view model_name);
  void detect_end_of_generation();
  void build_piece_cache();
  std::string compute_piece(int32_t id) const;
  void check_id(int32_t id) const;
  void encode_text(std::string_view text, bool after_special, std::vector<int32_t>& out) const;

  Model model_ = Model::kSpm;
  std::string model_name_;
  std::string pre_name_;
  std::unique_ptr<Vocab> vocab_;
  std::unique_ptr<PreTokenizer> pre_;  // BPE only
  bool ignore_merges_ = false;
  bool add_bos_ = false;
  bool add_eos_ = false;
  bool add_space_prefix_ = false;
  int32_t bos_ = -1, eos_ = -1, eot_ = -1, eom_ = -1, unk_ = -1, pad_ = -1;
  std::vector<int32_t> specials_;   // ids matched in text, longest spelling first
  std::vector<uint8_t> eog_;        // [n_vocab] 1 = ends generation
  std::vector<std::string> piece_;  // [n_vocab] token_to_piece cache
};

}  // namespace cellar
