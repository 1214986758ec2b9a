#pragma once
// Loopback stand-ins for the real server and a webhook receiver, so ops tests
// run without a model and never leave 127.0.0.1.
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cellar::ops::test {

// Runs an httplib::Server on 127.0.0.1 on a free port for the object's lifetime.
class LoopbackServer {
 public:
  LoopbackServer() = default;
  ~LoopbackServer() { stop(); }
  httplib::Server& server() { return server_; }
  void start() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void stop() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

// An OpenAI-style chat endpoint whose answers the test chooses.
class FakeOpenAi {
 public:
  struct Reply {
    std::string text;
    int status = 200;
    bool stream = true;
    std::chrono::milliseconds first_token_delay{0};
    std::string model_version = "v1";
    std::string template_version = "t1";
    bool send_usage = true;
  };
  std::function<Reply(const nlohmann::json& request)> answer = [](const nlohmann::json&) {
    return Reply{"Paris"};
  };
  std::vector<nlohmann::json> requests;  // every request body received
  std::vector<std::string> auth_headers;

  FakeOpenAi() {
    srv_.server().Post("/v1/chat/completions", [this](const httplib::Request& req, httplib::Response& res) {
      auto body = nlohmann::json::parse(req.body);
      Reply r;
      {
        std::lock_guard lock(mu_);
        requests.push_back(body);
        auth_headers.push_back(req.get_header_value("Authorization"));
        r = answer(body);
      }
      respond(r, res);
    });
    srv_.start();
  }
  std::string url() const { return srv_.url(); }

 private:
  static void respond(const Reply& r, httplib::Response& res) {
    if (!r.model_version.empty()) res.set_header("X-Cellar-Model-Version", r.model_version);
    if (!r.template_version.empty()) res.set_header("X-Cellar-Template-Version", r.template_version);
    res.status = r.status;
    if (r.status != 200) {
      res.set_content(nlohmann::json{{"error", {{"message", r.text}, {"type", "server_error"}}}}.dump(),
                      "application/json");
      return;
    }
    std::vector<std::string> pieces;  // one SSE chunk per word, as a tokenizer might
    for (size_t i = 0; i < r.text.size();) {
      size_t j = r.text.find(' ', i + 1);
      if (j == std::string::npos) j = r.text.size();
      pieces.push_back(r.text.substr(i, j - i));
      i = j;
    }
    if (!r.stream) {
      nlohmann::json doc = {{"choices", {{{"message", {{"role", "assistant"}, {"content", r.text}}},
                                          {"finish_reason", "stop"}}}},
                            {"usage", {{"completion_tokens", pieces.size()}}}};
      res.set_content(doc.dump(), "application/json");
      return;
    }
    res.set_chunked_content_provider("text/event-stream", [r, pieces](size_t, httplib::DataSink& sink) {
      std::this_thread::sleep_for(r.first_token_delay);
      auto send = [&](const nlohmann::json& j) {
        std::string ev = "data: " + j.dump() + "\n\n";
        sink.write(ev.data(), ev.size());
      };
      for (const auto& p : pieces) send({{"choices", {{{"index", 0}, {"delta", {{"content", p}}}}}}});
      send({{"choices", {{{"index", 0}, {"delta", nlohmann::json::object()}, {"finish_reason", "stop"}}}}});
      if (r.send_usage) send({{"choices", nlohmann::json::array()}, {"usage", {{"completion_tokens", pieces.size()}}}});
      std::string done = "data: [DONE]\n\n";
      sink.write(done.data(), done.size());
      sink.done();
      return true;
    });
  }

  std::mutex mu_;
  LoopbackServer srv_;
};

// Collects webhook POSTs; can be told to answer 500.
class WebhookReceiver {
 public:
  std::atomic<int> status{200};
  WebhookReceiver() {
    srv_.server().Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      bodies_.push_back(req.body);
      res.status = status.load();
      res.set_content("ok", "text/plain");
    });
    srv_.start();
  }
  std::string url() const { return srv_.url() + "/hook"; }
  std::vector<std::string> bodies() {
    std::lock_guard lock(mu_);
    return bodies_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> bodies_;
  LoopbackServer srv_;
};

}  // namespace cellar::ops::test
