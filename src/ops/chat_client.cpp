#include "ops/chat_client.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "ops/http_error.h"
#include "ops/sse_parser.h"

namespace cellar::ops {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr size_t kMaxBodyBytes = 4 << 20;  // an answer larger than this is a server bug

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// What the stream has told us so far.
struct StreamState {
  Clock::time_point start;
  std::string text;
  long content_chunks = 0;
  long usage_tokens = -1;
  bool done = false;
  std::string error;
  std::string finish_reason;
  std::optional<double> ttft_ms;

  void on_chunk(const json& chunk) {
    if (chunk.contains("error")) {
      const json& e = chunk["error"];
      error = e.is_object() ? e.value("message", e.dump()) : e.dump();
      return;
    }
    if (chunk.contains("usage") && chunk["usage"].is_object())
      usage_tokens = chunk["usage"].value("completion_tokens", usage_tokens);
    if (!chunk.contains("choices") || !chunk["choices"].is_array() || chunk["choices"].empty()) return;
    const json& choice = chunk["choices"][0];
    if (choice.contains("finish_reason") && choice["finish_reason"].is_string())
      finish_reason = choice["finish_reason"].get<std::string>();
    const json* content = nullptr;
    if (choice.contains("delta") && choice["delta"].contains("content")) content = &choice["delta"]["content"];
    if (choice.contains("message") && choice["message"].contains("content")) content = &choice["message"]["content"];
    if (!content || !content->is_string() || content->get<std::string>().empty()) return;
    if (!ttft_ms) ttft_ms = ms_since(start);
    text += content->get<std::string>();
    ++content_chunks;
  }

  void on_event(const std::string& data) {
    if (data == "[DONE]") {
      done = true;
      return;
    }
    json chunk = json::parse(data, nullptr, false);
    if (chunk.is_discarded()) {
      error = "malformed stream event: " + data.substr(0, 200);
      return;
    }
    on_chunk(chunk);
  }
};

std::string error_body_message(int status, const std::string& body) {
  std::string msg = "HTTP " + std::to_string(status);
  json doc = json::parse(body, nullptr, false);
  if (!doc.is_discarded() && doc.contains("error")) {
    const json& e = doc["error"];
    return msg + ": " + (e.is_object() ? e.value("message", e.dump()) : e.dump());
  }
  if (!body.empty()) msg += ": " + body.substr(0, 200);
  return msg;
}

json request_body(const ChatRequest& r) {
  json messages = json::array();
  if (!r.system.empty()) messages.push_back({{"role", "system"}, {"content", r.system}});
  messages.push_back({{"role", "user"}, {"content", r.prompt}});
  return {{"model", r.deployment},          {"messages", messages},
          {"temperature", 0},               {"max_tokens", r.max_tokens},
          {"stream", true},                 {"stream_options", {{"include_usage", true}}}};
}

// One request's response, collected as it streams in.
class Exchange {
 public:
  explicit Exchange(std::chrono::milliseconds limit)
      : limit_(limit), parser_([this](const std::string& data) { st_.on_event(data); }) {
    st_.start = Clock::now();
  }

  bool on_response(const httplib::Response& res) {
    out_.http_status = res.status;
    out_.model_version = res.get_header_value("X-Cellar-Model-Version");
    out_.template_version = res.get_header_value("X-Cellar-Template-Version");
    is_sse_ = res.status == 200 &&
              res.get_header_value("Content-Type").find("text/event-stream") != std::string::npos;
    return true;
  }

  bool on_bytes(const char* data, size_t n) {
    if (ms_since(st_.start) > static_cast<double>(limit_.count())) {
      timed_out_ = true;
      return false;
    }
    if (is_sse_) parser_.feed(data, n);
    else if (raw_.size() < kMaxBodyBytes) raw_.append(data, n);
    return st_.done || st_.error.empty();
  }

  ChatResult finish(const httplib::Result& res, const std::string& origin) {
    out_.answer.latency_ms = ms_since(st_.start);
    if (timed_out_) {
      out_.error = "timed out after " + std::to_string(limit_.count()) + " ms";
    } else if (!res && out_.http_status == 0) {
      out_.error = "cannot reach " + origin + ": " + describe_http_error(res.error());
    } else if (out_.http_status != 200) {
      out_.error = error_body_message(out_.http_status, raw_);
    } else if (!is_sse_) {
      finish_plain_json();
    } else {
      parser_.finish();
    }
    if (out_.error.empty() && !st_.error.empty()) out_.error = "server error in stream: " + st_.error;
    if (out_.error.empty() && !st_.done && st_.finish_reason.empty())
      out_.error = res ? "stream ended without [DONE]" : "stream broke: " + describe_http_error(res.error());
    out_.ok = out_.error.empty();
    out_.answer.text = st_.text;
    out_.answer.ttft_ms = st_.ttft_ms;
    out_.answer.tokens = st_.usage_tokens >= 0 ? st_.usage_tokens : st_.content_chunks;
    out_.finish_reason = st_.finish_reason;
    return out_;
  }

 private:
  // A server that ignored "stream": true answered with one JSON completion.
  void finish_plain_json() {
    json doc = json::parse(raw_, nullptr, false);
    if (doc.is_discarded()) out_.error = "response is neither an event stream nor JSON";
    else st_.on_chunk(doc);
    if (st_.ttft_ms) st_.ttft_ms = out_.answer.latency_ms;  // everything came at once
    st_.done = out_.error.empty() && st_.error.empty();
  }

  std::chrono::milliseconds limit_;
  StreamState st_;
  SseParser parser_;
  ChatResult out_;
  bool is_sse_ = false;
  bool timed_out_ = false;
  std::string raw_;  // the body when it is not an event stream (errors, non-streaming servers)
};

}  // namespace

ChatClient::ChatClient(HttpTarget base, ChatClientOptions options)
    : base_(std::move(base)), options_(std::move(options)) {}

ChatResult ChatClient::ask(const ChatRequest& r) const {
  httplib::Client cli(base_.origin());
  cli.set_connection_timeout(options_.connect_timeout);
  cli.set_read_timeout(options_.total_timeout);
  cli.set_write_timeout(options_.connect_timeout);

  httplib::Request req;
  req.method = "POST";
  req.path = chat_completions_path(base_);
  req.body = request_body(r).dump();
  req.set_header("Content-Type", "application/json");
  req.set_header("Accept", "text/event-stream");
  if (!options_.api_key.empty()) req.set_header("Authorization", "Bearer " + options_.api_key);

  Exchange ex(options_.total_timeout);
  req.response_handler = [&](const httplib::Response& res) { return ex.on_response(res); };
  req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) { return ex.on_bytes(data, n); };
  auto res = cli.send(req);
  return ex.finish(res, base_.origin());
}

}  // namespace cellar::ops
