#pragma once
// Working vocabularies for `cellar synth` models: real tokenizer formats
// (SentencePiece with byte fallback, GPT-2 byte-level BPE with merges) over a
// small built-in English word list, padded to the shape's vocabulary size.
#include <string>
#include <vector>

namespace cellar {

struct SynthVocab {
  std::string model;                // tokenizer.ggml.model: "llama" or "gpt2"
  std::string pre;                  // tokenizer.ggml.pre
  std::vector<std::string> tokens;  // [n_vocab]
  std::vector<float> scores;        // [n_vocab] (llama only)
  std::vector<int32_t> types;       // [n_vocab] 1 normal, 2 unknown, 3 control, 6 byte
  std::vector<std::string> merges;  // gpt2 only, "a b"
  int32_t bos = -1, eos = -1, eot = -1;
  std::string chat_template;
};

// `kind` is "llama" or "gpt2"; `pre` the gpt2 pre-tokenizer ("llama-bpe", "qwen2").
SynthVocab make_synth_vocab(const std::string& kind, const std::string& pre, int n_vocab);

}  // namespace cellar
