#pragma once
// An ApiServer over the fake backend on a free loopback port, plus small
// client helpers (JSON requests, SSE / NDJSON collection).
#include <gtest/gtest.h>
#include <httplib.h>

#include <thread>

#include <nlohmann/json.hpp>

#include "server/api_server.h"
#include "fake_backend.h"

namespace cellar::server::test {

using nlohmann::json;

class ServerFixture : public ::testing::Test {
 protected:
  void start(std::vector<FakeModelOptions> models = {FakeModelOptions{}}, ApiServerOptions opts = {},
             std::shared_ptr<const Authenticator> auth = nullptr) {
    for (auto& m : models) {
      auto model = std::make_shared<FakeModel>(m);
      fakes_[m.name] = model;
      backend_.add(model);
    }
    opts.http.port = 0;
    opts.http.host = "127.0.0.1";
    opts.http.threads = 16;
    server_ = std::make_unique<ApiServer>(opts, backend_, std::move(auth));
    port_ = server_->bind();
    thread_ = std::thread([this] { server_->serve(); });
  }
  void TearDown() override {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
    // A generation's completion callback briefly holds its session, and so the
    // model; let those finish while the backend still holds the models, or the
    // last reference could drop on the model's own thread (which joins itself).
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    for (auto& [name, fake] : fakes_) {
      while (fake->active() > 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    }
  }
  httplib::Client client() {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(10, 0);
    return c;
  }
  httplib::Result post(const std::string& path, const std::string& body, httplib::Headers headers = {}) {
    return client().Post(path.c_str(), headers, body, "application/json");
  }
  httplib::Result post(const std::string& path, const json& body) { return post(path, body.dump()); }
  // A streamed POST: returns status and the whole body as received.
  std::pair<int, std::string> post_stream(const std::string& path, const json& body) {
    httplib::Request req;
    req.method = "POST";
    req.path = path;
    req.body = body.dump();
    req.set_header("Content-Type", "application/json");
    std::string out;
    req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
      out.append(data, n);
      return true;
    };
    auto c = client();
    auto res = c.send(req);
    return {res ? res->status : -1, out};
  }
  // "data: ..." payloads of an SSE body, in order.
  static std::vector<std::string> sse_data(const std::string& body) {
    std::vector<std::string> out;
    size_t pos = 0;
    while ((pos = body.find("data: ", pos)) != std::string::npos) {
      size_t end = body.find("\n\n", pos);
      out.push_back(body.substr(pos + 6, end - pos - 6));
      pos = end;
    }
    return out;
  }
  static std::vector<json> ndjson(const std::string& body) {
    std::vector<json> out;
    size_t pos = 0, nl;
    while ((nl = body.find('\n', pos)) != std::string::npos) {
      out.push_back(json::parse(body.substr(pos, nl - pos)));
      pos = nl + 1;
    }
    return out;
  }
  static json chat(const std::string& model, int max_tokens, bool stream = false) {
    return {{"model", model},
            {"messages", {{{"role", "user"}, {"content", "hi"}}}},
            {"max_tokens", max_tokens},
            {"stream", stream}};
  }
  // Asserts OpenAI's error shape and returns the error object.
  static json expect_openai_error(const httplib::Result& r, int status) {
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->status, status) << r->body;
    json j = json::parse(r->body);
    EXPECT_TRUE(j["error"].is_object()) << r->body;
    EXPECT_TRUE(j["error"]["message"].is_string());
    EXPECT_TRUE(j["error"]["type"].is_string());
    EXPECT_TRUE(j["error"].contains("param"));
    EXPECT_TRUE(j["error"].contains("code"));
    return j["error"];
  }

  FakeBackend backend_;
  std::map<std::string, std::shared_ptr<FakeModel>> fakes_;
  std::unique_ptr<ApiServer> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace cellar::server::test
