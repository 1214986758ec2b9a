// Arbitrary bytes through both tokenizer families (SentencePiece and byte-level
// BPE with the Llama 3 pre-tokenizer): encoding never crashes, every id is in
// the vocabulary, and decoding (whole and streamed) accepts what was encoded.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "model/synth_vocab.h"
#include "tokenizer/stream_detokenizer.h"
#include "tokenizer/tokenizer.h"

namespace {

std::unique_ptr<cellar::Tokenizer> make(const std::string& kind, const std::string& pre, int n_vocab) {
  cellar::SynthVocab v = cellar::make_synth_vocab(kind, pre, n_vocab);
  cellar::GgufWriter w;
  w.set_string("general.architecture", "llama");
  w.set_string("tokenizer.ggml.model", v.model);
  w.set_string("tokenizer.ggml.pre", v.pre);
  w.set_string_array("tokenizer.ggml.tokens", v.tokens);
  w.set_i32_array("tokenizer.ggml.token_type", v.types);
  if (v.model == "llama") w.set_f32_array("tokenizer.ggml.scores", v.scores);
  if (!v.merges.empty()) w.set_string_array("tokenizer.ggml.merges", v.merges);
  if (v.bos >= 0) w.set_u32("tokenizer.ggml.bos_token_id", static_cast<uint32_t>(v.bos));
  if (v.eos >= 0) w.set_u32("tokenizer.ggml.eos_token_id", static_cast<uint32_t>(v.eos));
  auto bytes = w.to_bytes();
  auto file = cellar::GgufFile::from_bytes(bytes.data(), bytes.size());
  return cellar::Tokenizer::from_gguf(*file);
}

void exercise(const cellar::Tokenizer& tok, std::string_view text, bool special) {
  auto ids = tok.encode(text, true, special);
  for (int32_t id : ids) {
    if (id < 0 || id >= tok.n_vocab()) __builtin_trap();
  }
  volatile size_t sink = tok.decode(ids).size();
  cellar::StreamDetokenizer detok(tok);
  for (int32_t id : ids) sink = sink + detok.push(id).size();
  sink = sink + detok.flush().size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto spm = make("llama", "default", 1024);
  static const auto bpe = make("gpt2", "llama-bpe", 1024);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const bool special = size > 0 && (data[0] & 1);
  exercise(*spm, text, special);
  exercise(*bpe, text, special);
  return 0;
}
