#pragma once
// Reading OpenAI request bodies (chat/completions, completions, embeddings)
// into engine requests, validating every field at the boundary.
#include <optional>
#include <string>
#include <vector>

#include "server/api/api_context.h"
#include "server/api/json_fields.h"

namespace cellar::server {

struct OpenAiParams {
  std::string model;
  bool stream = false;
  bool include_usage = false;
  std::optional<int64_t> max_tokens;
  engine::GenerationRequest req;  // sampling, stop; prompt and max_tokens set later
};

// Fields shared by chat/completions and completions.
OpenAiParams parse_openai_params(const Json& body, const ApiLimits& limits);

// "messages": a non-empty array of {role, content}; content is a string or an
// array of {"type":"text","text":...} parts (joined). 400 on anything else.
OrderedJson parse_chat_messages(const Json& body, const ApiLimits& limits);

// "prompt": a non-empty string, or an array holding exactly one.
std::string parse_completion_prompt(const Json& body);

// "input" for embeddings: a string or an array of strings, none empty.
std::vector<std::string> parse_embedding_input(const Json& body, const std::string& field, size_t max_inputs);

}  // namespace cellar::server
