// Special-token bookkeeping: BOS/EOS/EOT ids, end-of-generation set, which
// tokens are matched in text, and the per-model attribute quirks. Token
// spellings below are those llama.cpp recognises (src/llama-vocab.cpp,
// llama_vocab::impl::load), so a file loads with the same behaviour there.
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <span>

#include "tokenizer/tokenizer.h"
#include "tokenizer/vocab.h"

namespace cellar {
namespace {

template <size_t N>
using Names = std::array<std::string_view, N>;

// Chat-turn terminators, in the order we prefer one as *the* EOT token.
constexpr Names<11> kEotNames = {"<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>",
                             "<|end_of_text|>", "<EOT>", "_<EOT>", "[EOT]", "<｜end▁of▁sentence｜>",
                             "<end_of_utterance>"};
// Every spelling that ends generation.
constexpr Names<22> kEogNames = {"<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>",
                             "<|calls|>", "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>",
                             "_<EOT>", "[EOT]", "[EOS]", "<|end_of_text|>", "<end_of_utterance>", "<eos>",
                             "<turn|>", "<|tool_response>", "<｜end▁of▁sentence｜>", "[e~["};
// Fill-in-the-middle markers: control tokens even when converted as user-defined.
constexpr Names<18> kFimNames = {"<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<｜fim▁begin｜>", "<PRE>",
                             "▁<PRE>", "<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<｜fim▁hole｜>",
                             "<SUF>", "▁<SUF>", "<|fim_middle|>", "<fim-middle>", "<fim_middle>",
                             "<｜fim▁end｜>", "<MID>", "▁<MID>"};
// FIM padding / repository / file separators also end generation.
constexpr Names<10> kFimEogNames = {"<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "<|fim_repo|>",
                                "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>", "<|file_sep|>"};
// gpt-oss channel markers are always rendered and matched (llama.cpp forces user-defined).
constexpr Names<4> kAlwaysTextNames = {"<|channel|>", "<|message|>", "<|start|>", "<|constrain|>"};

// -1 and UINT32_MAX are how converters spell "no such token".
bool means_none(int64_t id) { return id == -1 || id == static_cast<int64_t>(UINT32_MAX); }

int32_t resolve_one(const Vocab& vocab, const std::optional<int64_t>& given, int32_t fallback, const char* key) {
  if (given && means_none(*given)) return -1;
  if (given) {
    if (!vocab.contains(*given)) {
      throw TokenizerError(std::string("tokenizer.ggml.") + key + " = " + std::to_string(*given) +
                           " is outside the vocabulary (" + std::to_string(vocab.size()) + " tokens)");
    }
    return static_cast<int32_t>(*given);
  }
  return vocab.contains(fallback) ? fallback : -1;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

void Tokenizer::resolve_ids(const VocabSpec& spec, bool family_has_bos, bool family_add_bos) {
  const bool spm = model_ == Model::kSpm;
  // SentencePiece vocabularies conventionally put <unk>, <s>, </s> at 0, 1, 2.
  bos_ = resolve_one(*vocab_, spec.bos_id, spm ? 1 : -1, "bos_token_id");
  if (!family_has_bos && !spec.bos_id) bos_ = -1;
  eos_ = resolve_one(*vocab_, spec.eos_id, spm ? 2 : -1, "eos_token_id");
  unk_ = resolve_one(*vocab_, spec.unk_id, spm ? 0 : -1, "unknown_token_id");
  eot_ = resolve_one(*vocab_, spec.eot_id, -1, "eot_token_id");
  eom_ = resolve_one(*vocab_, spec.eom_id, -1, "eom_token_id");
  // Padding never enters tokenization, so a stray padding id is dropped rather than fatal.
  pad_ = spec.pad_id && vocab_->contains(*spec.pad_id) ? static_cast<int32_t>(*spec.pad_id) : -1;
  add_bos_ = spec.add_bos.value_or(family_add_bos) && bos_ >= 0;
  add_eos_ = spec.add_eos.value_or(false) && eos_ >= 0;
}

void Tokenizer::mark_special_tokens(std::string_view model_name) {
  detect_end_of_generation();
  Vocab& v = *vocab_;
  for (int32_t id = 0; id < v.size(); ++id) {
    if (v.attr(id) & (token_attr::kControl | token_attr::kUserDefined | token_attr::kUnknown)) specials_.push_back(id);
  }
  std::stable_sort(specials_.begin(), specials_.end(),
                   [&](int32_t a, int32_t b) { return v.text(a).size() > v.text(b).size(); });

  // Phi-3's added tokens strip the whitespace that follows them (its
  // tokenizer.json sets rstrip), except <unk>, <s> and <|endoftext|>.
  const std::string name = lower(model_name);
  if (name.find("phi-3") != std::string::npos || name.find("phi3") != std::string::npos) {
    for (int32_t id : specials_) v.add_attr(id, token_attr::kRstrip);
    if (const int32_t id = v.find("</s>"); id >= 0) v.add_attr(id, token_attr::kRstrip);
    for (auto keep : {"<unk>", "<s>", "<|endoftext|>"}) {
      if (const int32_t id = v.find(keep); id >= 0) v.clear_attr(id, token_attr::kRstrip);
    }
  }
}

// Finds EOT/EOM and the end-of-generation set by spelling; every such token
// becomes a control token, so it is only parsed from text when asked.
void Tokenizer::detect_end_of_generation() {
  Vocab& v = *vocab_;
  eog_.assign(v.size(), 0);
  auto mark_control = [&](int32_t id) { v.add_attr(id, token_attr::kControl); };

  for (auto name : kEotNames) {
    const int32_t id = v.find(name);
    if (id >= 0 && eot_ < 0) eot_ = id;
  }
  if (eot_ >= 0) mark_control(eot_);
  if (eom_ < 0) eom_ = v.find("<|eom_id|>");
  if (eom_ >= 0) mark_control(eom_);
  for (auto name : kFimNames) {
    if (const int32_t id = v.find(name); id >= 0) mark_control(id);
  }
  for (const auto& names : {std::span<const std::string_view>(kFimEogNames), std::span<const std::string_view>(kEogNames)}) {
    for (auto name : names) {
      if (const int32_t id = v.find(name); id >= 0) {
        mark_control(id);
        eog_[id] = 1;
      }
    }
  }
  for (auto name : kAlwaysTextNames) {
    if (const int32_t id = v.find(name); id >= 0) v.set_attr(id, token_attr::kUserDefined);
  }
  for (int32_t id : {eos_, eot_, eom_}) {
    if (id >= 0) eog_[id] = 1;
  }

  // Harmony-style vocabularies (gpt-oss, Solar Open) use <|end|> between
  // messages of one turn; there the turn ends with <|return|>/<|call|>.
  const auto eog_has = [&](std::string_view name) { const int32_t id = v.find(name); return id >= 0 && eog_[id]; };
  const int32_t end = v.find("<|end|>");
  if (end >= 0 && eog_[end] && ((eog_has("<|return|>") && eog_has("<|call|>")) ||
                                (eog_has("<|calls|>") && eog_has("<|flush|>")))) {
    eog_[end] = 0;
    v.set_attr(end, token_attr::kUserDefined);
  }
  // Gemma 4 spells a tool response end "</s>" inside a turn.
  const int32_t close_s = v.find("</s>");
  if (close_s >= 0 && eog_[close_s] && eog_has("<|tool_response>")) {
    eog_[close_s] = 0;
    v.set_attr(close_s, token_attr::kNormal);
  }
}

}  // namespace cellar
