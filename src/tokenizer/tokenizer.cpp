#include "tokenizer/tokenizer.h"

#include <cstdlib>

#include "tokenizer/bpe.h"
#include "tokenizer/byte_level.h"
#include "tokenizer/pre_tokenizer.h"
#include "tokenizer/special_partition.h"
#include "tokenizer/spm.h"
#include "tokenizer/vocab.h"

namespace cellar {
namespace {

constexpr std::string_view kSpaceMarker = "\xE2\x96\x81";  // U+2581, SentencePiece's visible space

std::string replace_all(std::string_view text, std::string_view from, std::string_view to) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (true) {
    const size_t hit = text.find(from, pos);
    if (hit == std::string_view::npos) break;
    out.append(text.substr(pos, hit - pos));
    out.append(to);
    pos = hit + from.size();
  }
  out.append(text.substr(pos));
  return out;
}

// "<0xAB>" -> 0xAB; -1 when the spelling is not a byte token's.
int parse_byte_token(std::string_view text) {
  if (text.size() != 6 || text.substr(0, 3) != "<0x" || text[5] != '>') return -1;
  char hex[3] = {text[3], text[4], 0};
  char* end = nullptr;
  const long value = std::strtol(hex, &end, 16);
  return end == hex + 2 ? static_cast<int>(value) : -1;
}

}  // namespace

std::unique_ptr<Tokenizer> Tokenizer::from_vocab(VocabSpec spec) {
  return std::unique_ptr<Tokenizer>(new Tokenizer(std::move(spec)));
}

Tokenizer::Tokenizer(VocabSpec spec) : model_name_(spec.model), pre_name_(spec.pre) {
  PreTokenizerConfig family;
  if (spec.model == "llama") {
    model_ = Model::kSpm;
  } else if (spec.model == "gpt2") {
    model_ = Model::kBpe;
    auto config = pre_tokenizer_config(spec.pre);
    if (!config) {
      throw TokenizerError("unknown pre-tokenizer '" + spec.pre + "' (tokenizer.ggml.pre); known: " +
                           known_pre_tokenizers());
    }
    family = *config;
    if (pre_name_.empty()) pre_name_ = "default";
  } else {
    throw TokenizerError("unsupported tokenizer model '" + spec.model +
                         "' (tokenizer.ggml.model); supported: llama, gpt2");
  }
  vocab_ = std::make_unique<Vocab>(spec);
  if (model_ == Model::kBpe) {
    pre_ = std::make_unique<PreTokenizer>(family.regexes);
    ignore_merges_ = family.ignore_merges;
  }
  add_space_prefix_ = spec.add_space_prefix.value_or(model_ == Model::kSpm);
  resolve_ids(spec, family.has_bos, model_ == Model::kSpm || family.add_bos);
  mark_special_tokens(spec.name);
  build_piece_cache();
}

Tokenizer::~Tokenizer() = default;

int32_t Tokenizer::n_vocab() const { return vocab_->size(); }

void Tokenizer::check_id(int32_t id) const {
  if (!vocab_->contains(id)) {
    throw TokenizerError("token id " + std::to_string(id) + " is outside the vocabulary (" +
                         std::to_string(vocab_->size()) + " tokens)");
  }
}

bool Tokenizer::is_eog(int32_t id) const { return vocab_->contains(id) && eog_[id] != 0; }

std::vector<int32_t> Tokenizer::eog_ids() const {
  std::vector<int32_t> ids;
  for (int32_t id = 0; id < vocab_->size(); ++id) {
    if (eog_[id]) ids.push_back(id);
  }
  return ids;
}

bool Tokenizer::is_control(int32_t id) const {
  return vocab_->contains(id) && (vocab_->attr(id) & token_attr::kControl) != 0;
}

std::string_view Tokenizer::token_text(int32_t id) const {
  check_id(id);
  return vocab_->text(id);
}

std::optional<int32_t> Tokenizer::find_token(std::string_view text) const {
  const int32_t id = vocab_->find(text);
  if (id < 0) return std::nullopt;
  return id;
}

void Tokenizer::encode_text(std::string_view text, bool after_special, std::vector<int32_t>& out) const {
  if (model_ == Model::kSpm) {
    // SentencePiece marks word starts with U+2581, including the first word
    // of the text and the first word after a special token.
    std::string prefixed;
    if (add_space_prefix_ && after_special) prefixed = " ";
    prefixed.append(text);
    spm_encode(*vocab_, replace_all(prefixed, " ", kSpaceMarker), unk_, out);
    return;
  }
  for (const std::string& word : pre_->split(text)) {
    bpe_encode_word(*vocab_, byte_level_encode(word), ignore_merges_, out);
  }
}

std::vector<int32_t> Tokenizer::encode(std::string_view text, bool add_special, bool parse_special) const {
  std::vector<int32_t> out;
  out.reserve(text.size() / 3 + 2);
  if (add_special && add_bos_) out.push_back(bos_);
  bool after_special = true;
  for (const TextFragment& frag : partition_special(text, *vocab_, specials_, parse_special)) {
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

std::string Tokenizer::compute_piece(int32_t id) const {
  const uint32_t attr = vocab_->attr(id);
  const std::string_view text = vocab_->text(id);
  if (attr & (token_attr::kControl | token_attr::kUnknown)) return "";
  if (attr & token_attr::kUserDefined) return std::string(text);
  if (attr & token_attr::kNormal) {
    return model_ == Model::kSpm ? replace_all(text, kSpaceMarker, " ") : byte_level_decode(text);
  }
  if (attr & token_attr::kByte) {
    const int byte = parse_byte_token(text);
    return byte >= 0 ? std::string(1, static_cast<char>(byte)) : std::string(text);
  }
  return "";  // unused and undefined tokens stand for no text
}

void Tokenizer::build_piece_cache() {
  piece_.resize(vocab_->size());
  for (int32_t id = 0; id < vocab_->size(); ++id) piece_[id] = compute_piece(id);
}

std::string Tokenizer::token_to_piece(int32_t id) const {
  check_id(id);
  return piece_[id];
}

std::string Tokenizer::decode(std::span<const int32_t> ids) const {
  std::string out;
  for (int32_t id : ids) {
    check_id(id);
    out += piece_[id];
  }
  return out;
}

}  // namespace cellar
