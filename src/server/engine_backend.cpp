#include "server/engine_backend.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include "engine/scheduler.h"
#include "model/model.h"
#include "server/api_error.h"
#include "engine/chat_prompt.h"
#include "tokenizer/jinja/error.h"
#include "tokenizer/tokenizer.h"

namespace cellar::server {

class EngineModel : public ModelBackend {
 public:
  EngineModel(ModelInfo info, std::shared_ptr<const Model> model, std::shared_ptr<const Tokenizer> tok,
              std::unique_ptr<engine::ChatPrompt> chat, const engine::SchedulerOptions& so)
      : info_(std::move(info)), model_(std::move(model)), tok_(std::move(tok)), chat_(std::move(chat)),
        scheduler_(std::make_unique<engine::Scheduler>(model_, tok_, so)) {}

  const ModelInfo& info() const override { return info_; }

  PromptTokens tokenize(const std::string& text) const override {
    return {tok_->encode(text, /*add_special=*/true, /*parse_special=*/false)};
  }

  PromptTokens tokenize_chat(const nlohmann::ordered_json& messages) const override {
    // The template's control tokens are parsed; control-token text typed in a
    // message stays text (engine/chat_prompt.h), so users cannot forge turns.
    try {
      return {chat_->tokenize(messages, true)};
    } catch (const jinja::TemplateError& e) {
      // Templates raise on conversations they do not support (roles that do not
      // alternate, a system message where none is allowed): the caller can fix that.
      throw invalid_request(std::string("The model's chat template rejected the conversation: ") + e.what(),
                            "messages");
    }
  }

  uint64_t submit(engine::GenerationRequest req) override { return scheduler_->submit(std::move(req)); }
  void cancel(uint64_t id) override { scheduler_->cancel(id); }

  std::vector<std::vector<float>> embed(const std::vector<std::string>& inputs, int* n_tokens) override {
    std::vector<std::vector<int32_t>> ids;
    *n_tokens = 0;
    for (const auto& s : inputs) {
      ids.push_back(tok_->encode(s, true, false));
      *n_tokens += static_cast<int>(ids.back().size());
    }
    return scheduler_->embed(ids);
  }

  engine::SchedulerStats stats() const override { return scheduler_->stats(); }
  void drain(double deadline) { scheduler_->drain(deadline); }

  // One short generation so the first user request does not pay for page
  // faults of the mapped weights and first-touch allocations.
  void warm_up() {
    engine::GenerationRequest req;
    req.prompt = tokenize("Hello").ids;
    req.max_tokens = 1;
    req.sampling.temperature = 0;
    std::promise<engine::GenerationResult> done;
    req.on_token = [](const engine::TokenEvent&) { return true; };
    req.on_done = [&done](const engine::GenerationResult& r) { done.set_value(r); };
    scheduler_->submit(std::move(req));
    auto r = done.get_future().get();
    if (r.reason == engine::FinishReason::kError) throw std::runtime_error("warm-up failed: " + r.error);
  }

 private:
  ModelInfo info_;
  std::shared_ptr<const Model> model_;
  std::shared_ptr<const Tokenizer> tok_;
  std::unique_ptr<engine::ChatPrompt> chat_;
  std::unique_ptr<engine::Scheduler> scheduler_;
};

namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument("cannot read chat template file '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The tensor type holding most of the weight bytes ("Q4_0", "F32", ...).
std::string dominant_type(const GgufFile& f, uint64_t* n_params) {
  std::map<std::string, uint64_t> bytes;
  *n_params = 0;
  for (const auto& t : f.tensors()) {
    bytes[std::string(ggml_type_info(t.type).name)] += t.n_bytes;
    *n_params += static_cast<uint64_t>(t.n_elements);
  }
  std::string best;
  uint64_t most = 0;
  for (const auto& [name, b] : bytes) {
    if (b > most) most = b, best = name;
  }
  return best;
}

ModelInfo describe(const ModelSpec& spec, const Model& model, const std::string& chat_template, int n_ctx,
                   int n_slots) {
  const auto& hp = model.hparams();
  ModelInfo info;
  info.name = spec.name;
  info.path = spec.path;
  // A registry deployment names its versions; a plain file is identified by its name.
  info.version = spec.version.empty() ? std::filesystem::path(spec.path).filename().string() : spec.version;
  info.template_version = !spec.template_version.empty() ? spec.template_version
                          : spec.chat_template_file.empty()
                              ? (model.file().has("tokenizer.chat_template") ? "gguf" : "builtin")
                              : std::filesystem::path(spec.chat_template_file).filename().string();
  info.arch = hp.arch;
  info.quantization = dominant_type(model.file(), &info.n_params);
  info.chat_template = chat_template;
  info.system_prompt = spec.system_prompt;
  info.weight_bytes = model.weight_bytes();
  info.file_bytes = model.file().file_size();
  info.n_ctx = n_ctx;
  info.n_ctx_train = hp.n_ctx_train;
  info.n_vocab = hp.n_vocab;
  info.n_embd = hp.n_embd;
  info.n_slots = n_slots;
  info.loaded_at = std::chrono::system_clock::now();
  auto mtime = std::filesystem::last_write_time(spec.path);
  info.modified_at = std::chrono::time_point_cast<std::chrono::system_clock::duration>(std::chrono::file_clock::to_sys(mtime));
  return info;
}

}  // namespace

std::shared_ptr<EngineModel> load_engine_model(const ModelSpec& spec, const EngineOptions& opts,
                                               double* load_seconds, double* warmup_seconds) {
  auto t0 = std::chrono::steady_clock::now();
  std::shared_ptr<const Model> model = Model::load(spec.path, {.mlock = false});
  std::shared_ptr<const Tokenizer> tok = Tokenizer::from_gguf(model->file());
  std::optional<std::string> override_source;
  if (!spec.chat_template_file.empty()) override_source = read_text_file(spec.chat_template_file);
  std::unique_ptr<engine::ChatPrompt> chat;
  try {
    chat = std::make_unique<engine::ChatPrompt>(model->file(), tok, override_source);
  } catch (const std::exception& e) {
    throw std::invalid_argument("the chat template of model '" + spec.name + "' does not parse: " + e.what());
  }
  engine::SchedulerOptions so;
  so.n_ctx = std::min(opts.n_ctx, model->hparams().n_ctx_train);
  so.n_slots = opts.n_slots;
  so.n_threads = opts.n_threads;
  so.max_queue = opts.max_queue;
  ModelInfo info = describe(spec, *model, chat->source(), so.n_ctx, so.n_slots);
  auto m = std::make_shared<EngineModel>(std::move(info), model, tok, std::move(chat), so);
  *load_seconds = seconds_since(t0);
  auto t1 = std::chrono::steady_clock::now();
  m->warm_up();
  *warmup_seconds = seconds_since(t1);
  return m;
}

EngineBackend::EngineBackend(std::vector<ModelSpec> specs, EngineOptions opts, ServerMetrics* metrics)
    : specs_(std::move(specs)), opts_(opts), metrics_(metrics), status_("models not loaded yet") {}

EngineBackend::~EngineBackend() {
  if (loader_.joinable()) loader_.join();
}

void EngineBackend::load_one(const ModelSpec& spec) {
  {
    std::lock_guard lock(mu_);
    status_ = "loading and warming up model '" + spec.name + "'";
  }
  double load_s = 0, warm_s = 0;
  auto m = load_engine_model(spec, opts_, &load_s, &warm_s);
  if (metrics_) {
    metrics_->model_load_seconds.with({spec.name}).set(load_s);
    metrics_->model_warmup_seconds.with({spec.name}).set(warm_s);
    metrics_->model_bytes.with({spec.name, m->info().version}).set(static_cast<double>(m->info().weight_bytes));
  }
  std::fprintf(stderr, "%s\n",
               nlohmann::json({{"event", "model_ready"}, {"model", spec.name}, {"load_seconds", load_s},
                               {"warmup_seconds", warm_s}, {"n_ctx", m->info().n_ctx}, {"slots", m->info().n_slots}})
                   .dump()
                   .c_str());
  std::lock_guard lock(mu_);
  ready_[spec.name] = std::move(m);
}

void EngineBackend::wait_loaded() {
  if (loader_.joinable()) loader_.join();
}

void EngineBackend::load_all() {
  for (const auto& spec : specs_) load_one(spec);
  std::lock_guard lock(mu_);
  status_.clear();
}

void EngineBackend::start_loading(std::function<void(const std::string&)> on_error) {
  loader_ = std::thread([this, on_error = std::move(on_error)] {
    try {
      load_all();
    } catch (const std::exception& e) {
      {
        std::lock_guard lock(mu_);
        status_ = std::string("loading failed: ") + e.what();
      }
      on_error(e.what());
    }
  });
}

std::vector<std::string> EngineBackend::model_names() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& spec : specs_) {
    if (ready_.count(spec.name)) out.push_back(spec.name);
  }
  return out;
}

std::shared_ptr<ModelBackend> EngineBackend::find(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = ready_.find(name);
  return it == ready_.end() ? nullptr : it->second;
}

Readiness EngineBackend::readiness() const {
  std::lock_guard lock(mu_);
  if (ready_.size() == specs_.size() && status_.empty()) return {true, ""};
  return {false, status_};
}

void EngineBackend::drain(double deadline_seconds) {
  std::vector<std::shared_ptr<EngineModel>> models;
  {
    std::lock_guard lock(mu_);
    for (auto& [n, m] : ready_) models.push_back(m);
  }
  std::vector<std::thread> ts;
  for (auto& m : models) ts.emplace_back([m, deadline_seconds] { m->drain(deadline_seconds); });
  for (auto& t : ts) t.join();
}

}  // namespace cellar::server
