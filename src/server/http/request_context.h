#pragma once
// What one request did, filled in by its handler (and its streaming provider)
// and written as one JSON log line and into the HTTP metrics when it ends.
#include <chrono>
#include <string>
#include <vector>

namespace cellar::server {

struct RequestContext {
  std::string route;  // registered path or "unmatched"
  std::string model;
  std::string model_version;     // X-Cellar-Model-Version of the model that served it
  std::string template_version;
  int prompt_tokens = 0;
  int cached_tokens = 0;
  int completion_tokens = 0;
  double ttft_seconds = -1;  // < 0: not applicable
  double queue_seconds = -1;
  std::string finish_reason;
  std::string error;         // error message sent to the client, if any
  std::string prompt;        // logged only with --log-prompts
  std::string completion;    // logged only with --log-prompts
  bool stream = false;
  int status = 0;            // the HTTP status, set when the response is done
  std::string principal;                    // who called (key id), when authentication is on
  std::vector<std::string> allowed_models;  // empty = all
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
};

}  // namespace cellar::server
