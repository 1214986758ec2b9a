// Scheduler API and the engine thread's loop. See scheduler.h for the model:
// one thread owns the InferenceContext and every slot; other threads only
// touch the queue, cancellation set and job list under `mu`.
#include <algorithm>
#include <cmath>
#include <future>

#include "engine/scheduler_impl.h"

namespace cellar::engine {
namespace {

size_t common_prefix(const std::vector<int32_t>& a, const std::vector<int32_t>& b) {
  size_t n = std::min(a.size(), b.size()), i = 0;
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

}  // namespace

Scheduler::Scheduler(std::shared_ptr<const Model> model, std::shared_ptr<const Tokenizer> tokenizer,
                     SchedulerOptions opts)
    : impl_(std::make_unique<Impl>()) {
  const int n_ctx_train = model->hparams().n_ctx_train;
  if (opts.n_slots < 1 || opts.n_ctx < 8) throw std::invalid_argument("need at least 1 slot and a context of 8");
  if (opts.n_ctx > n_ctx_train) {
    throw std::invalid_argument("context size " + std::to_string(opts.n_ctx) + " exceeds the model's trained context " +
                                std::to_string(n_ctx_train));
  }
  if (opts.max_queue < 0 || opts.prefill_chunk < 1) throw std::invalid_argument("bad queue or prefill chunk size");
  impl_->model = std::move(model);
  impl_->tokenizer = std::move(tokenizer);
  impl_->opts = opts;
  ContextOptions co{.n_ctx = opts.n_ctx, .n_slots = kv_sequences(opts.n_slots), .n_threads = opts.n_threads,
                    .max_batch = std::max(opts.prefill_chunk, opts.n_slots), .kv_type = opts.kv_type};
  impl_->ctx = std::make_unique<InferenceContext>(impl_->model, co);
  impl_->slots.resize(opts.n_slots);
  for (int i = 0; i < opts.n_slots; ++i) impl_->slots[i].index = i;
  impl_->thread = std::thread([impl = impl_.get()] { impl->loop(); });
}

Scheduler::~Scheduler() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  impl_->thread.join();
}

const SchedulerOptions& Scheduler::options() const { return impl_->opts; }

uint64_t Scheduler::submit(GenerationRequest req) {
  const Impl& s = *impl_;
  const int n_vocab = s.model->hparams().n_vocab;
  const int n_ctx = s.opts.n_ctx;
  if (req.prompt.empty()) throw RequestError("the prompt is empty");
  for (int32_t t : req.prompt) {
    if (t < 0 || t >= n_vocab) {
      throw RequestError("prompt token id " + std::to_string(t) + " is outside the vocabulary (0.." +
                         std::to_string(n_vocab - 1) + ")");
    }
  }
  if (req.max_tokens < 1) throw RequestError("max_tokens must be at least 1");
  const int64_t need = static_cast<int64_t>(req.prompt.size()) + req.max_tokens;
  if (need > n_ctx) {
    throw RequestError("the prompt has " + std::to_string(req.prompt.size()) + " tokens and max_tokens is " +
                       std::to_string(req.max_tokens) + ": together " + std::to_string(need) +
                       " tokens, more than the context size of " + std::to_string(n_ctx) +
                       " (shorten the prompt or lower max_tokens)");
  }
  try {
    req.sampling.validate(n_vocab);
  } catch (const std::invalid_argument& e) {
    throw RequestError(e.what());
  }
  ActiveRequest ar;
  ar.id = impl_->next_id.fetch_add(1);
  ar.submitted = Clock::now();
  ar.req = std::move(req);
  const uint64_t id = ar.id;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (impl_->draining || impl_->stopping) throw QueueFullError("the server is shutting down");
    const int free_slots = static_cast<int>(std::count_if(impl_->slots.begin(), impl_->slots.end(),
                                                          [](const Slot& sl) { return !sl.active; }));
    if (static_cast<int>(impl_->queue.size()) >= impl_->opts.max_queue + free_slots) {
      throw QueueFullError("too many requests: all " + std::to_string(impl_->opts.n_slots) + " slots are busy and " +
                           std::to_string(impl_->queue.size()) + " requests are waiting");
    }
    impl_->queue.push_back(std::move(ar));
    impl_->n_waiting.store(static_cast<int>(impl_->queue.size()));
  }
  impl_->cv.notify_all();
  return id;
}

void Scheduler::cancel(uint64_t id) {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->cancel_ids.insert(id);
  }
  impl_->cv.notify_all();
}

SchedulerStats Scheduler::stats() const {
  SchedulerStats st;
  st.running = impl_->n_running.load();
  st.waiting = impl_->n_waiting.load();
  st.n_slots = impl_->opts.n_slots;
  st.kv_usage = static_cast<double>(impl_->kv_cells.load()) / (static_cast<double>(impl_->opts.n_slots) * impl_->opts.n_ctx);
  st.prompt_tokens_total = impl_->prompt_tokens_total.load();
  st.generated_tokens_total = impl_->generated_tokens_total.load();
  return st;
}

void Scheduler::drain(double deadline_seconds) {
  std::unique_lock<std::mutex> lock(impl_->mu);
  impl_->draining = true;
  auto deadline = Clock::now() + std::chrono::duration<double>(deadline_seconds);
  impl_->idle_cv.wait_until(lock, deadline, [&] { return impl_->queue.empty() && impl_->n_running.load() == 0; });
  for (const auto& q : impl_->queue) impl_->cancel_ids.insert(q.id);
  for (const auto& sl : impl_->slots) {
    if (sl.active) impl_->cancel_ids.insert(sl.active->id);
  }
  impl_->cv.notify_all();
  impl_->idle_cv.wait_for(lock, std::chrono::seconds(5),
                          [&] { return impl_->queue.empty() && impl_->n_running.load() == 0; });
}

std::vector<std::vector<float>> Scheduler::embed(const std::vector<std::vector<int32_t>>& inputs) {
  const int n_vocab = impl_->model->hparams().n_vocab;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].empty()) throw RequestError("input " + std::to_string(i) + " is empty");
    if (static_cast<int>(inputs[i].size()) > impl_->opts.n_ctx) {
      throw RequestError("input " + std::to_string(i) + " has " + std::to_string(inputs[i].size()) +
                         " tokens, more than the context size of " + std::to_string(impl_->opts.n_ctx));
    }
    for (int32_t t : inputs[i]) {
      if (t < 0 || t >= n_vocab) throw RequestError("token id " + std::to_string(t) + " is outside the vocabulary");
    }
  }
  auto done = std::make_shared<std::promise<std::vector<std::vector<float>>>>();
  auto fut = done->get_future();
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (impl_->stopping || impl_->draining) throw QueueFullError("the server is shutting down");
    impl_->embed_jobs.push_back({&inputs, done});
  }
  impl_->cv.notify_all();
  return fut.get();
}

void Scheduler::Impl::run_embeddings() {
  std::deque<EmbedJob> todo;
  {
    std::lock_guard<std::mutex> lock(mu);
    todo.swap(embed_jobs);
  }
  while (!todo.empty()) {
    // The least recently used free slot: the prompt cache it drops is the least likely to be wanted.
    Slot* slot = nullptr;
    for (auto& sl : slots) {
      if (!sl.active && (!slot || sl.last_used < slot->last_used)) slot = &sl;
    }
    if (!slot) break;
    EmbedJob job = std::move(todo.front());
    todo.pop_front();
    kv_cells.fetch_sub(static_cast<int64_t>(slot->cached.size()));
    slot->cached.clear();
    try {
      std::vector<std::vector<float>> out;
      for (const auto& in : *job.inputs) out.push_back(embed_one(*slot, in));
      job.done->set_value(std::move(out));
    } catch (...) {
      job.done->set_exception(std::current_exception());
    }
  }
  if (todo.empty()) return;
  std::lock_guard<std::mutex> lock(mu);
  embed_jobs.insert(embed_jobs.begin(), std::make_move_iterator(todo.begin()), std::make_move_iterator(todo.end()));
}

// The slot's KV region holds the input afterwards, but it is not recorded as
// cached: the caller cleared `cached`, so no request reuses it.
std::vector<float> Scheduler::Impl::embed_one(Slot& slot, const std::vector<int32_t>& tokens) {
  const int d = model->hparams().n_embd;
  std::vector<BatchToken> batch(tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) batch[i] = {tokens[i], slot.index, static_cast<int32_t>(i), false};
  auto hidden = ctx->forward_hidden(batch);
  std::vector<double> mean(d, 0.0);
  for (size_t i = 0; i < tokens.size(); ++i) {
    for (int k = 0; k < d; ++k) mean[k] += hidden[i * d + k];
  }
  double norm = 0;
  for (auto& m : mean) norm += m * m;
  norm = std::sqrt(norm);
  std::vector<float> out(d);
  for (int k = 0; k < d; ++k) out[k] = static_cast<float>(norm > 0 ? mean[k] / norm : 0.0);
  return out;
}

bool Scheduler::Impl::has_work_locked() const {
  if (!queue.empty() || !embed_jobs.empty() || !cancel_ids.empty()) return true;
  return n_running.load() > 0;
}

void Scheduler::Impl::take_queued_locked() {
  while (!queue.empty()) {
    // Free slot sharing the longest prefix with the prompt; ties go to the least recently used.
    Slot* best = nullptr;
    size_t best_lcp = 0;
    for (auto& sl : slots) {
      if (sl.active) continue;
      size_t lcp = common_prefix(sl.cached, queue.front().req.prompt);
      if (!best || lcp > best_lcp || (lcp == best_lcp && sl.last_used < best->last_used)) {
        best = &sl;
        best_lcp = lcp;
      }
    }
    if (!best) return;
    ActiveRequest ar = std::move(queue.front());
    queue.pop_front();
    // At least the last prompt token is evaluated again: its logits start generation.
    const size_t reuse = std::min(best_lcp, ar.req.prompt.size() - 1);
    kv_cells.fetch_sub(static_cast<int64_t>(best->cached.size() - reuse));
    best->cached.resize(reuse);
    ar.n_prompt_done = reuse;
    ar.started = Clock::now();
    ar.result.prompt_tokens = static_cast<int>(ar.req.prompt.size());
    ar.result.cached_tokens = static_cast<int>(reuse);
    ar.result.queue_seconds = std::chrono::duration<double>(ar.started - ar.submitted).count();
    ar.history = ar.req.prompt;
    ar.sampler = std::make_unique<Sampler>(ar.req.sampling, model->hparams().n_vocab);
    ar.detok = std::make_unique<StreamDetokenizer>(*tokenizer);
    ar.stop = std::make_unique<StopMatcher>(ar.req.stop);
    prompt_tokens_total.fetch_add(ar.req.prompt.size());
    best->active = std::move(ar);
    n_running.fetch_add(1);
  }
}

void Scheduler::Impl::apply_cancellations_locked() {
  if (cancel_ids.empty()) return;
  for (auto it = queue.begin(); it != queue.end();) {
    if (cancel_ids.count(it->id)) {
      cancel_ids.erase(it->id);
      it->result.reason = FinishReason::kCancelled;
      if (it->req.on_done) it->req.on_done(it->result);
      it = queue.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& sl : slots) {
    if (sl.active && cancel_ids.count(sl.active->id)) sl.active->cancelled = true;
  }
  cancel_ids.clear();
}

void Scheduler::Impl::loop() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return stopping || has_work_locked(); });
      if (stopping) {
        for (auto& q : queue) {
          q.result.reason = FinishReason::kCancelled;
          if (q.req.on_done) q.req.on_done(q.result);
        }
        queue.clear();
        for (auto& job : embed_jobs) {
          job.done->set_exception(std::make_exception_ptr(QueueFullError("the server is shutting down")));
        }
        embed_jobs.clear();
        break;
      }
      apply_cancellations_locked();
    }
    // Embeddings take free slots before queued requests do, so a steady
    // stream of generations cannot starve them.
    run_embeddings();
    {
      std::lock_guard<std::mutex> lock(mu);
      take_queued_locked();
      n_waiting.store(static_cast<int>(queue.size()));
    }
    expire_timeouts();
    try {
      step();
    } catch (const std::exception& e) {
      fail_all_active(e.what());
    }
    if (n_running.load() == 0) {
      std::lock_guard<std::mutex> lock(mu);
      if (queue.empty()) idle_cv.notify_all();
    }
  }
  for (auto& sl : slots) {
    if (sl.active) finish(sl, FinishReason::kCancelled);
  }
  idle_cv.notify_all();
}

}  // namespace cellar::engine
