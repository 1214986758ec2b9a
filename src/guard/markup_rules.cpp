// Character-level rules: things typed to imitate the chat template or the
// operator, which a user message never legitimately contains.
#include <algorithm>
#include <array>
#include <functional>
#include <iterator>
#include <string_view>

#include "guard/features.h"

namespace cellar::guard {
namespace {

// Special tokens of ChatML, Llama 2/3, Gemma, Phi, Mistral, GPT-style templates.
constexpr std::array<std::string_view, 20> kTemplateTokens{
    "<|im_start|>", "<|im_end|>", "<|endoftext|>", "<|start_header_id|>", "<|end_header_id|>",
    "<|eot_id|>", "<|begin_of_text|>", "[inst]", "[/inst]", "<<sys>>", "<</sys>>", "<|system|>",
    "<|user|>", "<|assistant|>", "<start_of_turn>", "<end_of_turn>", "<|endofprompt|>", "<|im_sep|>",
    "<|channel|>", "<|eom_id|>"};

// Generic "<|word|>" control-token shape, for templates not listed above.
bool has_control_token_shape(std::string_view s) {
  size_t close = 0;
  for (size_t i = s.find("<|"); i != std::string_view::npos; i = s.find("<|", i + 2)) {
    if (close < i + 2) close = s.find("|>", i + 2);  // reused while ahead: one pass in total
    if (close == std::string_view::npos) return false;
    std::string_view inner = s.substr(i + 2, close - i - 2);
    bool wordy = !inner.empty() && inner.size() <= 32 && std::all_of(inner.begin(), inner.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || c == '_' || (c >= '0' && c <= '9');
    });
    if (wordy) return true;
  }
  return false;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// The text after a fake "system:" speaks to the model ("System: Windows 10" does not).
bool is_directive(std::string_view content) {
  static constexpr std::string_view kWords[] = {
      "you",    "user",   "assistant", "must",  "comply", "obey",   "ignore", "override", "rule",  "polic",
      "safety", "mode",   "instruct",  "respond", "answer", "allowed", "restrict", "reveal", "du ", "anda",
      "kamu",   "arahan", "你",        "必须",  "忽略"};
  return std::any_of(std::begin(kWords), std::end(kWords),
                     [&](std::string_view w) { return content.find(w) != std::string_view::npos; });
}

// {"role": "system", ...} pasted into a user message.
bool fake_role_json(std::string_view norm) {
  for (size_t i = norm.find("\"role\""); i != std::string_view::npos; i = norm.find("\"role\"", i + 6)) {
    size_t j = i + 6;
    while (j < norm.size() && (norm[j] == ' ' || norm[j] == ':')) ++j;
    std::string_view rest = norm.substr(j);
    if (starts_with(rest, "\"system\"") || starts_with(rest, "\"developer\"")) return true;
  }
  return false;
}

// "system:", "### System:", "[system]", "<system>", "**SYSTEM**:" at a line start.
// Returns the role word's weight or 0.
double fake_role_line(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && std::string_view(" #*[<>{(-=\"'`|").find(line[i]) != std::string_view::npos) ++i;
  std::string_view rest = line.substr(i);
  struct Role {
    std::string_view word;
    double weight;
  };
  static constexpr Role kRoles[] = {{"system prompt", 0.5}, {"system", 0.45}, {"developer", 0.45},
                                    {"administrator", 0.4}, {"admin", 0.4},   {"new instructions", 0.5},
                                    {"instructions", 0.3},  {"instruction", 0.3}, {"assistant", 0.3}, {"human", 0.3},
                                    {"sistem", 0.45},       {"系统", 0.45}};
  for (const Role& r : kRoles) {
    if (!starts_with(rest, r.word)) continue;
    size_t j = r.word.size();
    while (j < rest.size() && std::string_view(" ]>*\"|").find(rest[j]) != std::string_view::npos) ++j;
    bool bracketed = i > 0 && (line[i - 1] == '[' || line[i - 1] == '<') && j > r.word.size();
    if ((j < rest.size() && rest[j] == ':') || bracketed) {
      std::string_view content = rest.substr(std::min(j + 1, rest.size()));
      return is_directive(content) ? r.weight + 0.2 : r.weight;
    }
  }
  return 0.0;
}

// Positions of `needle` in `hay`, found with Boyer-Moore-Horspool: the banner
// words start with common letters, and a plain find() would compare at every 'e'.
class Phrase {
 public:
  explicit Phrase(std::string_view needle) : needle_(needle), searcher_(needle.begin(), needle.end()) {}
  size_t find(std::string_view hay, size_t from) const {
    auto it = std::search(hay.begin() + static_cast<long>(std::min(from, hay.size())), hay.end(), searcher_);
    return it == hay.end() ? std::string_view::npos : static_cast<size_t>(it - hay.begin());
  }
  size_t size() const { return needle_.size(); }

 private:
  std::string_view needle_;
  std::boyer_moore_horspool_searcher<std::string_view::const_iterator> searcher_;
};

bool fake_end_banner(std::string_view norm) {
  static const Phrase kLeads[] = {Phrase("end of "), Phrase("ende der eingabe"), Phrase("akhir arahan"),
                                  Phrase("用户输入结束")};
  static constexpr std::string_view kWhat[] = {"user input", "prompt", "the prompt", "system prompt", "context",
                                               "instructions", "document"};
  for (size_t k = 0; k < std::size(kLeads); ++k) {
    for (size_t at = kLeads[k].find(norm, 0); at != std::string_view::npos; at = kLeads[k].find(norm, at + 1)) {
      size_t len = kLeads[k].size();
      if (k == 0) {  // "end of " must name the prompt, the input or the context
        std::string_view rest = norm.substr(at + len);
        auto what = std::find_if(std::begin(kWhat), std::end(kWhat), [&](std::string_view w) { return starts_with(rest, w); });
        if (what == std::end(kWhat)) continue;
        len += what->size();
      }
      // Banners are framed by markers ("=== END OF PROMPT ===", "--- end of document ---").
      size_t lo = at >= 4 ? at - 4 : 0;
      std::string_view around = norm.substr(lo, len + 8);
      if (around.find_first_of("=-#*[<>") != std::string_view::npos) return true;
    }
  }
  return false;
}

// A script that ends on "Ben:" asks the model to speak as a character.
bool ends_with_speaker_cue(std::string_view raw) {
  size_t end = raw.find_last_not_of(" \t\r\n");
  if (end == std::string_view::npos || raw[end] != ':') return false;
  size_t b = end;
  while (b > 0 && std::isalpha(static_cast<unsigned char>(raw[b - 1]))) --b;
  bool name = end - b >= 2 && end - b <= 20 && std::isupper(static_cast<unsigned char>(raw[b]));
  return name && (b == 0 || raw[b - 1] == ' ' || raw[b - 1] == '\n');
}

bool is_word_at(std::string_view raw, size_t i, size_t n) {
  bool left = i == 0 || !std::isalnum(static_cast<unsigned char>(raw[i - 1]));
  bool right = i + n >= raw.size() || !std::isalnum(static_cast<unsigned char>(raw[i + n]));
  return left && right;
}

// "DAN" in capitals as a word: the best-known jailbreak persona. Case matters
// because "dan" is the Malay word for "and".
bool has_dan_persona(std::string_view raw) {
  for (size_t i = raw.find("DAN"); i != std::string_view::npos; i = raw.find("DAN", i + 3)) {
    if (is_word_at(raw, i, 3)) return true;
  }
  return false;
}

// A capitalised persona name being assigned: "you are STAN", "called AIM".
bool has_caps_persona(std::string_view raw) {
  for (std::string_view cue : {"you are ", "You are ", "called ", "named ", "known as "}) {
    for (size_t i = raw.find(cue); i != std::string_view::npos; i = raw.find(cue, i + 1)) {
      size_t b = i + cue.size(), e = b;
      while (e < raw.size() && std::isupper(static_cast<unsigned char>(raw[e]))) ++e;
      if (e - b >= 3 && e - b <= 12 && is_word_at(raw, b, e - b)) return true;
    }
  }
  return false;
}

// A made-up GPT persona: "BasedGPT", "FreiGPT", "UnfilteredGPT" (not ChatGPT itself).
bool has_gpt_persona(std::string_view raw) {
  for (size_t i = raw.find("GPT"); i != std::string_view::npos; i = raw.find("GPT", i + 3)) {
    size_t b = i;
    while (b > 0 && std::isalpha(static_cast<unsigned char>(raw[b - 1]))) --b;
    std::string_view name = raw.substr(b, i + 3 - b);
    bool word_end = i + 3 >= raw.size() || !std::isalnum(static_cast<unsigned char>(raw[i + 3]));
    if (word_end && name.size() > 3 && name != "ChatGPT" && std::isupper(static_cast<unsigned char>(name[0]))) return true;
  }
  return false;
}

// A name being given to the model: "You are Mr. Nobody", "Du bist Viktor".
// Alone it is an ordinary role request; injection.cpp weighs it with a
// "no limits" statement.
bool has_named_persona(std::string_view raw) {
  static constexpr std::string_view kCues[] = {"ou are ", "ou're ", "u bist "};  // after Y/y, D/d
  for (size_t i = 0; i + 1 < raw.size(); ++i) {
    char c = static_cast<char>(raw[i] | 0x20);
    if (c != 'y' && c != 'd') continue;
    for (std::string_view cue : kCues) {
      size_t b = i + 1 + cue.size();
      if (raw.compare(i + 1, cue.size(), cue) == 0 && b + 1 < raw.size() &&
          std::isupper(static_cast<unsigned char>(raw[b])) && std::islower(static_cast<unsigned char>(raw[b + 1]))) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

void markup_features(std::string_view raw, std::string_view norm, Features& f) {
  bool token = std::any_of(kTemplateTokens.begin(), kTemplateTokens.end(),
                           [&](std::string_view t) { return norm.find(t) != std::string_view::npos; });
  if (token || has_control_token_shape(norm)) f.add("delimiter.chat_markup", 0.85);
  double line_weight = 0.0;
  size_t start = 0;
  while (start <= norm.size()) {
    size_t nl = norm.find('\n', start);
    if (nl == std::string_view::npos) nl = norm.size();
    line_weight = std::max(line_weight, fake_role_line(norm.substr(start, nl - start)));
    start = nl + 1;
  }
  if (line_weight > 0) f.add("delimiter.fake_role", line_weight);
  if (fake_role_json(norm)) f.add("delimiter.fake_role", 0.6);
  if (ends_with_speaker_cue(raw)) f.add("delimiter.dialogue_bait", 0.25);
  if (fake_end_banner(norm)) f.add("delimiter.end_banner", 0.35);
  if (has_dan_persona(raw) || has_caps_persona(raw) || has_gpt_persona(raw)) f.add("role.dan", 0.35);
  if (has_named_persona(raw)) f.add("role.named", 0.15);
}

}  // namespace cellar::guard
