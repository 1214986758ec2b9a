#include "engine/chat_prompt.h"

#include "gguf/gguf_file.h"
#include "tokenizer/tokenizer.h"

namespace cellar::engine {
namespace {

std::string token_string(const Tokenizer& tok, int32_t id) {
  return id >= 0 ? std::string(tok.token_text(id)) : std::string();
}

struct Span {
  size_t begin, end;
};

// Where each message's content landed in the rendered text, in order. Templates
// may trim content, so the trimmed text is searched for when the full one is not found.
std::vector<Span> locate_contents(const std::string& rendered, const nlohmann::ordered_json& messages) {
  std::vector<Span> spans;
  size_t from = 0;
  for (const auto& m : messages) {
    if (!m.is_object() || !m.contains("content") || !m["content"].is_string()) continue;
    std::string content = m["content"].get<std::string>();
    size_t at = rendered.find(content, from);
    if (at == std::string::npos || content.empty()) {
      const auto b = content.find_first_not_of(" \t\r\n");
      const auto e = content.find_last_not_of(" \t\r\n");
      if (b == std::string::npos) continue;
      content = content.substr(b, e - b + 1);
      at = rendered.find(content, from);
      if (at == std::string::npos) continue;
    }
    spans.push_back({at, at + content.size()});
    from = at + content.size();
  }
  return spans;
}

}  // namespace

ChatPrompt::ChatPrompt(const GgufFile& file, std::shared_ptr<const Tokenizer> tokenizer,
                       std::optional<std::string> override_source)
    : tokenizer_(std::move(tokenizer)) {
  std::string source;
  if (override_source) {
    source = *override_source;
  } else if (auto t = file.get_string("tokenizer.chat_template"); t && !t->empty()) {
    source = *t;
    from_model_ = true;
  } else {
    source = std::string(kChatMlTemplate);
  }
  template_ = std::make_unique<ChatTemplate>(std::move(source));
  bos_ = token_string(*tokenizer_, tokenizer_->bos_id());
  eos_ = token_string(*tokenizer_, tokenizer_->eos_id());
}

std::string ChatPrompt::render(const nlohmann::ordered_json& messages, bool add_generation_prompt) const {
  ChatRenderOptions opts;
  opts.add_generation_prompt = add_generation_prompt;
  opts.bos_token = bos_;
  opts.eos_token = eos_;
  return template_->render(messages, opts);
}

std::vector<int32_t> ChatPrompt::tokenize(const nlohmann::ordered_json& messages, bool add_generation_prompt) const {
  const std::string text = render(messages, add_generation_prompt);
  std::vector<std::pair<size_t, size_t>> spans;
  for (const Span& s : locate_contents(text, messages)) spans.emplace_back(s.begin, s.end);
  std::vector<int32_t> out = tokenizer_->encode_protected(text, spans, false);
  // Templates usually write the BOS text themselves; add it only when they did not.
  const int32_t bos = tokenizer_->bos_id();
  if (tokenizer_->add_bos() && bos >= 0 && (out.empty() || out.front() != bos)) out.insert(out.begin(), bos);
  return out;
}

}  // namespace cellar::engine
