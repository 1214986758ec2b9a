#include "server/api/streaming.h"

#include <httplib.h>

#include "server/api/api_context.h"

namespace cellar::server {

namespace {

// The end of a stream the guard cut short reads as a normal stop to the client.
engine::GenerationResult final_result(const GenerationSession& session, const OutputGuard* guard) {
  engine::GenerationResult r = session.result();
  if (guard && guard->blocked()) r.reason = engine::FinishReason::kStop;
  return r;
}

}  // namespace

void stream_generation(httplib::Response& res, const std::string& content_type,
                       std::shared_ptr<GenerationSession> session, std::shared_ptr<StreamFormatter> fmt,
                       RequestContext& ctx, bool log_text, std::shared_ptr<OutputGuard> guard) {
  ctx.stream = true;
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Accel-Buffering", "no");  // reverse proxies: do not buffer the stream
  auto started = std::make_shared<bool>(false);
  RequestContext* log = &ctx;  // lives until httplib's logger runs, after the last write
  res.set_chunked_content_provider(
      content_type,
      [session, fmt, started, log, log_text, guard](size_t, httplib::DataSink& sink) {
        std::string out;
        if (!*started) {
          out = fmt->begin();
          *started = true;
        }
        std::string delta;
        auto state = session->poll(&delta, std::chrono::milliseconds(50));
        if (guard) {
          delta = guard->push(delta);
          if (state == GenerationSession::Poll::kDone) delta += guard->finish();
          if (guard->blocked()) session->cancel();
        }
        if (!delta.empty()) {
          out += fmt->text(delta);
          if (log_text) log->completion += delta;
        }
        if (state == GenerationSession::Poll::kDone) {
          auto r = final_result(*session, guard.get());
          out += fmt->end(r);
          record_result(*log, r);
          if (guard) guard->record(*log);
        }
        if (!out.empty() && !sink.write(out.data(), out.size())) {
          session->cancel();
          log->finish_reason = "cancelled";
          return false;
        }
        if (state == GenerationSession::Poll::kDone) sink.done();
        return true;
      },
      [session](bool success) {
        if (!success) session->cancel();
      });
}

}  // namespace cellar::server
