// One engine step: build a batch with one decode token for every generating
// slot plus up to `prefill_chunk` prompt tokens of slots still prefilling, run
// a single forward pass, then sample and stream for each slot that got logits.
#include <algorithm>

#include "engine/scheduler_impl.h"

namespace cellar::engine {

bool Scheduler::Impl::step() {
  std::vector<BatchToken> batch;
  std::vector<Slot*> owners;  // slot of each want_logits entry, in batch order
  for (auto& sl : slots) {
    if (!sl.active || sl.active->cancelled || sl.active->pending < 0) continue;
    batch.push_back({sl.active->pending, sl.index, static_cast<int32_t>(sl.cached.size()), true});
    sl.cached.push_back(sl.active->pending);
    sl.active->pending = -1;
    owners.push_back(&sl);
  }
  int budget = opts.prefill_chunk;
  for (auto& sl : slots) {
    if (!sl.active || sl.active->cancelled) continue;
    ActiveRequest& ar = *sl.active;
    const auto& prompt = ar.req.prompt;
    const size_t n = std::min<size_t>(prompt.size() - ar.n_prompt_done, static_cast<size_t>(std::max(budget, 0)));
    for (size_t k = 0; k < n; ++k) {
      const size_t i = ar.n_prompt_done + k;
      const bool last = i + 1 == prompt.size();
      batch.push_back({prompt[i], sl.index, static_cast<int32_t>(sl.cached.size()), last});
      sl.cached.push_back(prompt[i]);
      if (last) owners.push_back(&sl);
    }
    ar.n_prompt_done += n;
    budget -= static_cast<int>(n);
  }
  for (auto& sl : slots) {
    if (sl.active && sl.active->cancelled) finish(sl, FinishReason::kCancelled);
  }
  if (batch.empty()) return false;
  kv_cells.fetch_add(static_cast<int64_t>(batch.size()));
  auto logits = ctx->forward(batch);
  const size_t n_vocab = static_cast<size_t>(model->hparams().n_vocab);
  for (size_t k = 0; k < owners.size(); ++k) {
    if (owners[k]->active) on_logits(*owners[k], logits.subspan(k * n_vocab, n_vocab));
  }
  return true;
}

void Scheduler::Impl::emit(Slot& slot, int32_t token, const std::string& text) {
  ActiveRequest& ar = *slot.active;
  if (ar.req.on_token && !ar.req.on_token(TokenEvent{token, text})) ar.cancelled = true;
}

void Scheduler::Impl::on_logits(Slot& slot, std::span<const float> logits) {
  ActiveRequest& ar = *slot.active;
  const auto now = Clock::now();
  if (!ar.first_token) {
    ar.first_token = now;
    ar.result.prompt_eval_seconds = std::chrono::duration<double>(now - ar.started).count();
  }
  const int32_t tok = ar.sampler->sample(logits, ar.history);
  ar.history.push_back(tok);
  if (!ar.req.ignore_eos && tokenizer->is_eog(tok)) {
    std::string tail = ar.stop->push(ar.detok->flush());
    tail += ar.stop->flush();
    if (!tail.empty()) emit(slot, -1, tail);
    return finish(slot, FinishReason::kStop);
  }
  ar.result.completion_tokens++;
  generated_tokens_total.fetch_add(1);
  std::string text = ar.stop->push(ar.detok->push(tok));
  const bool at_limit = ar.result.completion_tokens >= ar.req.max_tokens;
  if (at_limit && !ar.stop->stopped()) {
    text += ar.stop->push(ar.detok->flush());
    text += ar.stop->flush();
  }
  emit(slot, tok, text);
  if (ar.stop->stopped()) return finish(slot, FinishReason::kStop);
  if (ar.cancelled) return finish(slot, FinishReason::kCancelled);
  if (at_limit) return finish(slot, FinishReason::kLength);
  ar.pending = tok;
}

void Scheduler::Impl::finish(Slot& slot, FinishReason reason, std::string error) {
  ActiveRequest& ar = *slot.active;
  const auto now = Clock::now();
  GenerationResult& r = ar.result;
  r.reason = reason;
  r.error = std::move(error);
  r.total_seconds = std::chrono::duration<double>(now - ar.submitted).count();
  if (ar.first_token) {
    r.ttft_seconds = std::chrono::duration<double>(*ar.first_token - ar.submitted).count();
    r.eval_seconds = std::chrono::duration<double>(now - *ar.first_token).count();
  }
  auto on_done = std::move(ar.req.on_done);
  slot.active.reset();
  slot.last_used = now;
  n_running.fetch_sub(1);
  if (on_done) on_done(r);
}

void Scheduler::Impl::expire_timeouts() {
  const auto now = Clock::now();
  for (auto& sl : slots) {
    if (!sl.active || sl.active->req.timeout_seconds <= 0) continue;
    if (std::chrono::duration<double>(now - sl.active->submitted).count() > sl.active->req.timeout_seconds) {
      finish(sl, FinishReason::kTimeout);
    }
  }
}

void Scheduler::Impl::fail_all_active(const std::string& error) {
  for (auto& sl : slots) {
    if (!sl.active) continue;
    // The slot's cache may hold half-written positions: forget it.
    kv_cells.fetch_sub(static_cast<int64_t>(sl.cached.size()));
    sl.cached.clear();
    finish(sl, FinishReason::kError, error);
  }
}

}  // namespace cellar::engine
