#include "server/api/openai_request.h"

#include "server/api_error.h"

namespace cellar::server {
namespace {

constexpr int64_t kMaxTokensField = 1 << 30;  // beyond any context; the real limit is checked per model

void parse_logit_bias(const JsonFields& f, const ApiLimits& limits, SamplingParams& s) {
  const Json* lb = f.get("logit_bias");
  if (!lb) return;
  if (!lb->is_object()) throw invalid_request("'logit_bias' must be an object mapping token ids to biases.",
                                              "logit_bias");
  if (lb->size() > limits.max_logit_bias) {
    throw invalid_request("'logit_bias' has " + std::to_string(lb->size()) + " entries; at most " +
                              std::to_string(limits.max_logit_bias) + " are allowed.", "logit_bias");
  }
  for (const auto& [key, value] : lb->items()) {
    size_t used = 0;
    long id = -1;
    try {
      id = std::stol(key, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != key.size() || id < 0 || id > INT32_MAX) {
      throw invalid_request("'logit_bias' keys must be token ids (non-negative integers), got '" + key + "'.",
                            "logit_bias");
    }
    if (!value.is_number() || value.get<double>() < -100 || value.get<double>() > 100) {
      throw invalid_request("'logit_bias' values must be numbers between -100 and 100.", "logit_bias");
    }
    s.logit_bias[static_cast<int32_t>(id)] = value.get<float>();
  }
}

void parse_unsupported(const JsonFields& f) {
  if (auto n = f.integer("n", 1, 128); n && *n != 1) {
    throw invalid_request("Only n=1 is supported (one choice per request); got n=" + std::to_string(*n) + ".", "n");
  }
  if (auto lp = f.get("logprobs"); lp && !(lp->is_boolean() && !lp->get<bool>())) {
    if (!lp->is_boolean() && !lp->is_number_integer()) throw invalid_request("'logprobs' must be a boolean.", "logprobs");
    if (!(lp->is_number_integer() && lp->get<int64_t>() == 0)) {
      throw invalid_request("logprobs are not supported by this server.", "logprobs");
    }
  }
  if (auto t = f.integer("top_logprobs", 0, 20); t && *t > 0) {
    throw invalid_request("top_logprobs are not supported by this server.", "top_logprobs");
  }
  if (auto b = f.integer("best_of", 1, 20); b && *b != 1) {
    throw invalid_request("Only best_of=1 is supported.", "best_of");
  }
  if (auto e = f.boolean("echo"); e && *e) throw invalid_request("echo is not supported by this server.", "echo");
  if (f.get("suffix")) throw invalid_request("suffix (insertion) is not supported by this server.", "suffix");
  if (const Json* rf = f.get("response_format")) {
    if (!rf->is_object() || rf->value("type", "") != "text") {
      throw invalid_request("response_format (JSON mode / structured outputs) is not supported by this server; "
                            "only {\"type\": \"text\"}.", "response_format");
    }
  }
  if (auto tools = f.get("tools"); tools && !(tools->is_array() && tools->empty())) {
    throw invalid_request("tools / function calling is not supported by this server.", "tools");
  }
}

}  // namespace

OpenAiParams parse_openai_params(const Json& body, const ApiLimits& limits) {
  JsonFields f(body);
  OpenAiParams p;
  p.model = required_model(body);
  p.stream = f.boolean("stream").value_or(false);
  if (const Json* so = f.get("stream_options")) {
    if (!so->is_object()) throw invalid_request("'stream_options' must be an object.", "stream_options");
    p.include_usage = JsonFields(*so, "stream_options.").boolean("include_usage").value_or(false);
  }
  auto& s = p.req.sampling;
  // OpenAI's defaults; top_k / min_p keep the engine's defaults unless given (llama.cpp extensions).
  s.temperature = static_cast<float>(f.number("temperature", 0, 2).value_or(1.0));
  s.top_p = static_cast<float>(f.number("top_p", 0, 1).value_or(1.0));
  if (auto k = f.integer("top_k", 0, 1 << 20)) s.top_k = static_cast<int>(*k);
  if (auto m = f.number("min_p", 0, 1)) s.min_p = static_cast<float>(*m);
  if (auto rp = f.number("repeat_penalty", 0, 10)) s.repeat_penalty = static_cast<float>(*rp);
  s.presence_penalty = static_cast<float>(f.number("presence_penalty", -2, 2).value_or(0));
  s.frequency_penalty = static_cast<float>(f.number("frequency_penalty", -2, 2).value_or(0));
  if (auto seed = f.integer("seed", INT64_MIN, INT64_MAX)) s.seed = static_cast<uint64_t>(*seed);
  parse_logit_bias(f, limits, s);
  f.string("user", 256);
  auto mct = f.integer("max_completion_tokens", INT64_MIN, kMaxTokensField);
  auto mt = f.integer("max_tokens", INT64_MIN, kMaxTokensField);
  p.max_tokens = mct ? mct : mt;
  if (p.max_tokens && *p.max_tokens < 1) {
    throw invalid_request("max_tokens must be at least 1, got " + std::to_string(*p.max_tokens) + ".",
                          mct ? "max_completion_tokens" : "max_tokens");
  }
  p.req.stop = f.string_or_list("stop", limits.max_stop, limits.max_stop_bytes);
  parse_unsupported(f);
  return p;
}

OrderedJson parse_chat_messages(const Json& body, const ApiLimits& limits) {
  auto it = body.find("messages");
  if (it == body.end() || it->is_null()) throw invalid_request("'messages' is required.", "messages");
  if (!it->is_array()) throw invalid_request("'messages' must be an array of messages.", "messages");
  if (it->empty()) throw invalid_request("'messages' must contain at least one message.", "messages");
  if (it->size() > limits.max_messages) {
    throw invalid_request("'messages' has too many entries (at most " + std::to_string(limits.max_messages) + ").",
                          "messages");
  }
  OrderedJson out = OrderedJson::array();
  for (size_t i = 0; i < it->size(); ++i) {
    const Json& m = (*it)[i];
    std::string where = "messages[" + std::to_string(i) + "]";
    if (!m.is_object()) throw invalid_request("'" + where + "' must be an object with 'role' and 'content'.", where);
    auto role = JsonFields(m, where + ".").string("role", 64);
    if (!role) throw invalid_request("'" + where + ".role' is required.", where + ".role");
    static const char* kRoles[] = {"system", "developer", "user", "assistant", "tool"};
    if (std::find(std::begin(kRoles), std::end(kRoles), *role) == std::end(kRoles)) {
      throw invalid_request("'" + where + ".role' must be one of system, developer, user, assistant, tool; got '" +
                                *role + "'.", where + ".role");
    }
    std::string content;
    auto c = m.find("content");
    if (c == m.end() || c->is_null()) {
      if (*role != "assistant") throw invalid_request("'" + where + ".content' is required.", where + ".content");
    } else if (c->is_string()) {
      content = c->get<std::string>();
    } else if (c->is_array()) {
      for (const auto& part : *c) {
        if (!part.is_object() || part.value("type", "") != "text" || !part.contains("text") ||
            !part["text"].is_string()) {
          throw invalid_request("'" + where + ".content' parts must be {\"type\":\"text\",\"text\":...}; "
                                "images and audio are not supported.", where + ".content");
        }
        content += part["text"].get<std::string>();
      }
    } else {
      throw invalid_request("'" + where + ".content' must be a string or an array of text parts.", where + ".content");
    }
    out.push_back({{"role", *role == "developer" ? "system" : *role}, {"content", content}});
  }
  return out;
}

std::string parse_completion_prompt(const Json& body) {
  auto it = body.find("prompt");
  if (it == body.end() || it->is_null()) throw invalid_request("'prompt' is required.", "prompt");
  std::string prompt;
  if (it->is_string()) {
    prompt = it->get<std::string>();
  } else if (it->is_array() && it->size() == 1 && (*it)[0].is_string()) {
    prompt = (*it)[0].get<std::string>();
  } else if (it->is_array()) {
    throw invalid_request("'prompt' must be a string or an array holding one string; batched prompts are not "
                          "supported.", "prompt");
  } else {
    throw invalid_request("'prompt' must be a string.", "prompt");
  }
  if (prompt.empty()) throw invalid_request("'prompt' must not be empty.", "prompt");
  return prompt;
}

std::vector<std::string> parse_embedding_input(const Json& body, const std::string& field, size_t max_inputs) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) throw invalid_request("'" + field + "' is required.", field);
  std::vector<std::string> out;
  if (it->is_string()) {
    out.push_back(it->get<std::string>());
  } else if (it->is_array()) {
    if (it->empty()) throw invalid_request("'" + field + "' must not be an empty array.", field);
    if (it->size() > max_inputs) {
      throw invalid_request("'" + field + "' has " + std::to_string(it->size()) + " entries; at most " +
                                std::to_string(max_inputs) + " are allowed.", field);
    }
    for (const auto& v : *it) {
      if (!v.is_string()) throw invalid_request("'" + field + "' must be a string or an array of strings.", field);
      out.push_back(v.get<std::string>());
    }
  } else {
    throw invalid_request("'" + field + "' must be a string or an array of strings.", field);
  }
  for (const auto& s : out) {
    if (s.empty()) throw invalid_request("'" + field + "' entries must not be empty.", field);
  }
  return out;
}

}  // namespace cellar::server
