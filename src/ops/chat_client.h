#pragma once
// Asks one question of an OpenAI-compatible chat endpoint with streaming on,
// so the time to the first token can be measured, not just the total.
#include <chrono>
#include <string>

#include "ops/expectations.h"
#include "ops/http_target.h"

namespace cellar::ops {

struct ChatRequest {
  std::string deployment;  // the request's "model"
  std::string system;
  std::string prompt;
  long max_tokens = 256;
};

struct ChatResult {
  bool ok = false;         // a complete answer arrived
  std::string error;       // why not, when !ok
  int http_status = 0;     // 0 when no response arrived
  Answer answer;
  std::string model_version;     // X-Cellar-Model-Version, when sent
  std::string template_version;  // X-Cellar-Template-Version, when sent
  std::string finish_reason;
};

struct ChatClientOptions {
  std::string api_key;  // sent as "Authorization: Bearer ..." when set
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds total_timeout{120000};
};

class ChatClient {
 public:
  ChatClient(HttpTarget base, ChatClientOptions options);

  // Never throws for network or server trouble: those come back as !ok.
  ChatResult ask(const ChatRequest& request) const;

 private:
  HttpTarget base_;
  ChatClientOptions options_;
};

}  // namespace cellar::ops
