#include "model/synth_vocab.h"

#include <stdexcept>
#include <unordered_set>

namespace cellar {
namespace {

constexpr const char* kWords[] = {
    "the", "of", "and", "to", "in", "is", "you", "that", "it", "he", "was", "for", "on", "are", "as", "with", "his",
    "they", "at", "be", "this", "have", "from", "or", "one", "had", "by", "word", "but", "not", "what", "all", "were",
    "we", "when", "your", "can", "said", "there", "use", "an", "each", "which", "she", "do", "how", "their", "if",
    "will", "up", "other", "about", "out", "many", "then", "them", "these", "so", "some", "her", "would", "make",
    "like", "him", "into", "time", "has", "look", "two", "more", "write", "go", "see", "number", "no", "way", "could",
    "people", "my", "than", "first", "water", "been", "call", "who", "oil", "its", "now", "find", "long", "down",
    "day", "did", "get", "come", "made", "may", "part", "hello", "world", "model", "server", "data", "patient",
    "bank", "private", "cellar", "token", "help", "question", "answer", "story", "once", "upon", "little", "girl",
    "boy", "happy", "play", "friend", "big", "small", "good", "new", "old", "name", "thank", "please", "yes",
};

constexpr const char* kSpace = "\xe2\x96\x81";  // U+2581, SentencePiece's visible space

// GPT-2's reversible byte -> printable code point mapping (bytes_to_unicode in
// openai/gpt-2 encoder.py): printable Latin-1 bytes map to themselves, the
// rest to U+0100 onwards.
std::vector<std::string> byte_level_alphabet() {
  auto utf8 = [](uint32_t cp) {
    std::string s;
    if (cp < 0x80) {
      s += static_cast<char>(cp);
    } else {
      s += static_cast<char>(0xC0 | (cp >> 6));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return s;
  };
  std::vector<std::string> out(256);
  uint32_t extra = 0;
  for (uint32_t b = 0; b < 256; ++b) {
    bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
    out[b] = utf8(printable ? b : 256 + extra++);
  }
  return out;
}

void pad(SynthVocab& v, int n_vocab, int32_t type) {
  for (int i = static_cast<int>(v.tokens.size()); i < n_vocab; ++i) {
    v.tokens.push_back("<|reserved_" + std::to_string(i) + "|>");
    v.scores.push_back(-1e6f);
    v.types.push_back(type);
  }
}

SynthVocab make_spm(int n_vocab) {
  SynthVocab v;
  v.model = "llama";
  v.pre = "default";
  auto add = [&](std::string t, float score, int32_t type) {
    v.tokens.push_back(std::move(t));
    v.scores.push_back(score);
    v.types.push_back(type);
  };
  add("<unk>", 0, 2);
  add("<s>", 0, 3);
  add("</s>", 0, 3);
  v.bos = 1;
  v.eos = 2;
  char hex[8];
  for (int b = 0; b < 256; ++b) {
    std::snprintf(hex, sizeof hex, "<0x%02X>", b);
    add(hex, 0, 6);
  }
  std::unordered_set<std::string> seen;
  float score = -1;
  auto piece = [&](const std::string& p) {
    if (seen.insert(p).second) add(p, score--, 1);
  };
  piece(kSpace);
  for (char c = 'a'; c <= 'z'; ++c) piece(std::string(1, c));
  for (const char* p : {".", ",", "!", "?", "'", "-", ":", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}) piece(p);
  for (const char* w : kWords) {
    std::string word = std::string(kSpace) + w;
    // Every prefix, so the highest-score merges can build each word.
    for (size_t n = 4; n <= word.size(); ++n) piece(word.substr(0, n));
  }
  if (static_cast<int>(v.tokens.size()) > n_vocab) throw std::invalid_argument("vocabulary too small for synth");
  pad(v, n_vocab, 5);
  v.chat_template =
      "{{ bos_token }}{% for m in messages %}{% if m['role'] == 'user' %}{{ '[INST] ' + m['content'] + ' [/INST]' }}"
      "{% elif m['role'] == 'system' %}{{ '<<SYS>>\\n' + m['content'] + '\\n<</SYS>>\\n\\n' }}"
      "{% else %}{{ ' ' + m['content'] + eos_token }}{% endif %}{% endfor %}";
  return v;
}

SynthVocab make_bpe(const std::string& pre, int n_vocab) {
  SynthVocab v;
  v.model = "gpt2";
  v.pre = pre;
  std::unordered_set<std::string> seen;
  auto add = [&](const std::string& t, int32_t type) {
    if (!seen.insert(t).second) return;
    v.tokens.push_back(t);
    v.scores.push_back(0);
    v.types.push_back(type);
  };
  const auto alphabet = byte_level_alphabet();
  for (const auto& a : alphabet) add(a, 1);
  const std::string space = alphabet[' '];  // "Ġ"
  for (const char* w : kWords) {
    // Merge left to right: "Ġ t" -> "Ġt", "Ġt h" -> "Ġth", ...
    std::string word = space + w;
    std::string left = space;
    for (size_t i = space.size(); i < word.size(); ++i) {
      std::string right(1, word[i]);
      if (!seen.count(left + right)) {
        v.merges.push_back(left + " " + right);
        add(left + right, 1);
      }
      left += right;
    }
  }
  const bool llama3 = pre == "llama-bpe";
  const std::vector<std::string> specials =
      llama3 ? std::vector<std::string>{"<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>",
                                        "<|end_header_id|>", "<|eot_id|>"}
             : std::vector<std::string>{"<|endoftext|>", "<|im_start|>", "<|im_end|>"};
  for (const auto& s : specials) add(s, 3);
  auto id_of = [&](const std::string& t) {
    for (size_t i = 0; i < v.tokens.size(); ++i) {
      if (v.tokens[i] == t) return static_cast<int32_t>(i);
    }
    return int32_t{-1};
  };
  if (static_cast<int>(v.tokens.size()) > n_vocab) throw std::invalid_argument("vocabulary too small for synth");
  if (llama3) {
    v.bos = id_of("<|begin_of_text|>");
    v.eos = id_of("<|end_of_text|>");
    v.eot = id_of("<|eot_id|>");
    v.chat_template =
        "{{ bos_token }}{% for m in messages %}{{ '<|start_header_id|>' + m['role'] + '<|end_header_id|>\\n\\n' + "
        "m['content'] | trim + '<|eot_id|>' }}{% endfor %}{% if add_generation_prompt %}"
        "{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";
  } else {
    v.eos = id_of("<|im_end|>");
    v.eot = v.eos;
    v.bos = id_of("<|endoftext|>");
    v.chat_template =
        "{% for m in messages %}{{ '<|im_start|>' + m['role'] + '\\n' + m['content'] + '<|im_end|>\\n' }}"
        "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
  }
  pad(v, n_vocab, 3);
  return v;
}

}  // namespace

SynthVocab make_synth_vocab(const std::string& kind, const std::string& pre, int n_vocab) {
  if (kind == "llama") return make_spm(n_vocab);
  if (kind == "gpt2") return make_bpe(pre, n_vocab);
  throw std::invalid_argument("unknown tokenizer kind '" + kind + "'");
}

}  // namespace cellar
