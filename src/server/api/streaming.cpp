#include "server/api/streaming.h"

#include <httplib.h>

#include "server/api/api_context.h"

namespace cellar::server {

void stream_generation(httplib::Response& res, const std::string& content_type,
                       std::shared_ptr<GenerationSession> session, std::shared_ptr<StreamFormatter> fmt,
                       RequestContext& ctx, bool log_text) {
  ctx.stream = true;
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Accel-Buffering", "no");  // reverse proxies: do not buffer the stream
  auto started = std::make_shared<bool>(false);
  RequestContext* log = &ctx;  // lives until httplib's logger runs, after the last write
  res.set_chunked_content_provider(
      content_type,
      [session, fmt, started, log, log_text](size_t, httplib::DataSink& sink) {
        std::string out;
        if (!*started) {
          out = fmt->begin();
          *started = true;
        }
        std::string delta;
        auto state = session->poll(&delta, std::chrono::milliseconds(50));
        if (!delta.empty()) {
          out += fmt->text(delta);
          if (log_text) log->completion += delta;
        }
        if (state == GenerationSession::Poll::kDone) {
          out += fmt->end(session->result());
          record_result(*log, session->result());
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
