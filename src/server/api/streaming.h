#pragma once
// Streams a generation as a chunked HTTP body (SSE for OpenAI, NDJSON for
// Ollama). The formatter turns engine output into the wire format; the
// provider polls the session on the connection's thread and cancels the
// engine request as soon as a write fails or the client is gone.
#include <memory>
#include <string>

#include "server/api/generation_session.h"
#include "server/api/prompt_guard.h"
#include "server/http/request_context.h"

namespace httplib {
struct Response;
}

namespace cellar::server {

class StreamFormatter {
 public:
  virtual ~StreamFormatter() = default;
  virtual std::string begin() = 0;                          // before any text (OpenAI: the role chunk)
  virtual std::string text(const std::string& delta) = 0;  // one piece of generated text
  // The end: final chunk(s), or an error event for kTimeout / kError.
  virtual std::string end(const engine::GenerationResult& result) = 0;
};

// `guard` (may be null) redacts the text before it is formatted; when it
// blocks, the generation is cancelled and the stream ends as a normal stop.
void stream_generation(httplib::Response& res, const std::string& content_type,
                       std::shared_ptr<GenerationSession> session, std::shared_ptr<StreamFormatter> fmt,
                       RequestContext& ctx, bool log_text, std::shared_ptr<OutputGuard> guard = nullptr);

}  // namespace cellar::server
