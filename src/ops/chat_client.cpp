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

}  // namespace

ChatClient::ChatClient(HttpTarget base, ChatClientOptions options)
    : base_(std::move(base)), options_(std::move(options)) {}

ChatResult ChatClient::ask(const ChatRequest& r) const {
  ChatResult out;
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

  StreamState st;
  SseParser parser([&](const std::string& data) { st.on_event(data); });
  bool is_sse = false, timed_out = false;
  std::string raw;  // the body when it is not an event stream (errors, non-streaming servers)
  st.start = Clock::now();
  req.response_handler = [&](const httplib::Response& res) {
    out.http_status = res.status;
    out.model_version = res.get_header_value("X-Cellar-Model-Version");
    out.template_version = res.get_header_value("X-Cellar-Template-Version");
    is_sse = res.status == 200 &&
             res.get_header_value("Content-Type").find("text/event-stream") != std::string::npos;
    return true;
  };
  req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
    if (ms_since(st.start) > static_cast<double>(options_.total_timeout.count())) {
      timed_out = true;
      return false;
    }
    if (is_sse) parser.feed(data, n);
    else if (raw.size() < kMaxBodyBytes) raw.append(data, n);
    return st.done ? true : st.error.empty();
  };

  auto res = cli.send(req);
  out.answer.latency_ms = ms_since(st.start);
  if (timed_out) {
    out.error = "timed out after " + std::to_string(options_.total_timeout.count()) + " ms";
  } else if (!res && out.http_status == 0) {
    out.error = "cannot reach " + base_.origin() + ": " + describe_http_error(res.error());
  } else if (out.http_status != 200) {
    out.error = error_body_message(out.http_status, raw);
  } else if (!is_sse) {
    json doc = json::parse(raw, nullptr, false);
    if (doc.is_discarded()) out.error = "response is neither an event stream nor JSON";
    else st.on_chunk(doc);
    if (st.ttft_ms) st.ttft_ms = out.answer.latency_ms;  // non-streaming: everything came at once
    st.done = out.error.empty() && st.error.empty();
  } else {
    parser.finish();
  }
  if (out.error.empty() && !st.error.empty()) out.error = "server error in stream: " + st.error;
  if (out.error.empty() && !st.done && st.finish_reason.empty())
    out.error = res ? "stream ended without [DONE]" : "stream broke: " + describe_http_error(res.error());
  out.ok = out.error.empty();
  out.answer.text = st.text;
  out.answer.ttft_ms = st.ttft_ms;
  out.answer.tokens = st.usage_tokens >= 0 ? st.usage_tokens : st.content_chunks;
  out.finish_reason = st.finish_reason;
  return out;
}

}  // namespace cellar::ops
