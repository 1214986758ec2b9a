#include "server/api/generation_session.h"

#include "server/api_error.h"

namespace cellar::server {

GenerationSession::GenerationSession(std::shared_ptr<ModelBackend> model, ServerMetrics& metrics)
    : model_(std::move(model)), metrics_(metrics) {}

std::shared_ptr<GenerationSession> GenerationSession::start(std::shared_ptr<ModelBackend> model,
                                                            engine::GenerationRequest req, ServerMetrics& metrics) {
  auto s = std::make_shared<GenerationSession>(model, metrics);
  // The engine may outlive this HTTP request by a step: callbacks hold a weak
  // reference so a finished HTTP handler frees the session.
  std::weak_ptr<GenerationSession> weak = s;
  req.on_token = [weak](const engine::TokenEvent& ev) {
    auto self = weak.lock();
    return self && self->on_token(ev);
  };
  req.on_done = [weak](const engine::GenerationResult& r) {
    if (auto self = weak.lock()) self->on_done(r);
  };
  s->last_token_ = std::chrono::steady_clock::now();
  try {
    s->id_ = model->submit(std::move(req));
  } catch (const engine::QueueFullError& e) {
    ApiError err(429, "rate_limit_exceeded", std::string("The server is at capacity: ") + e.what() +
                                                 ". Retry later.", {}, "rate_limit_exceeded");
    err.retry_after_seconds = 1;
    throw err;
  } catch (const engine::RequestError& e) {
    throw invalid_request(e.what());
  }
  return s;
}

GenerationSession::~GenerationSession() {
  bool finished;
  {
    std::lock_guard lock(mu_);
    finished = done_;
  }
  if (!finished && id_ != 0) model_->cancel(id_);
}

bool GenerationSession::on_token(const engine::TokenEvent& ev) {
  auto now = std::chrono::steady_clock::now();
  const std::string& name = model_->info().name;
  std::lock_guard lock(mu_);
  if (cancelled_) return false;
  if (n_tokens_ > 0) metrics_.inter_token.with({name}).observe(std::chrono::duration<double>(now - last_token_).count());
  last_token_ = now;
  n_tokens_++;
  pending_ += ev.text;
  cv_.notify_all();
  return true;
}

void GenerationSession::on_done(const engine::GenerationResult& r) {
  const std::string& name = model_->info().name;
  metrics_.prompt_tokens.with({name}).inc(r.prompt_tokens);
  metrics_.generation_tokens.with({name}).inc(r.completion_tokens);
  metrics_.queue_time.with({name}).observe(r.queue_seconds);
  if (r.completion_tokens > 0) metrics_.ttft.with({name}).observe(r.ttft_seconds);
  metrics_.e2e.with({name}).observe(r.total_seconds);
  std::lock_guard lock(mu_);
  result_ = r;
  done_ = true;
  cv_.notify_all();
}

GenerationSession::Poll GenerationSession::poll(std::string* text, std::chrono::milliseconds wait) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, wait, [&] { return done_ || !pending_.empty(); });
  if (!pending_.empty()) {
    *text += pending_;
    pending_.clear();
    return Poll::kText;
  }
  return done_ ? Poll::kDone : Poll::kPending;
}

std::string GenerationSession::wait_all() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return done_; });
  std::string out = std::move(pending_);
  pending_.clear();
  return out;
}

int GenerationSession::tokens_so_far() const {
  std::lock_guard lock(mu_);
  return n_tokens_;
}

void GenerationSession::cancel() {
  bool need_cancel;
  {
    std::lock_guard lock(mu_);
    need_cancel = !done_ && !cancelled_;
    cancelled_ = true;
  }
  if (need_cancel && id_ != 0) model_->cancel(id_);
}

}  // namespace cellar::server
