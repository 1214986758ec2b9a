// `cellar serve` as users run it: the real binary and engine on a real model
// (refdata stories260K), driven over loopback with cpp-httplib.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <fstream>

#include <nlohmann/json.hpp>

#include "server_process.h"

namespace cellar::test {
namespace {

using nlohmann::json;

std::string stories_model() { return (refdata_dir() / "models" / "stories260K.gguf").string(); }

std::vector<std::string> sse_data(const std::string& body) {
  std::vector<std::string> out;
  size_t pos = 0;
  while ((pos = body.find("data: ", pos)) != std::string::npos) {
    size_t end = body.find("\n\n", pos);
    out.push_back(body.substr(pos + 6, end - pos - 6));
    pos = end;
  }
  return out;
}

class Serve : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (refdata_dir().empty()) return;
    server_ = new ServerProcess({"--model", "stories=" + stories_model(), "--parallel", "2", "--queue", "4", "--ctx",
                                 "512", "-t", "1", "--max-body", "65536"});
    if (!server_->wait_ready()) throw std::runtime_error("server not ready: " + server_->log());
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { CELLAR_REQUIRE_REFDATA(); }

  static httplib::Client client() {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_read_timeout(30, 0);
    return c;
  }
  static httplib::Result post(const std::string& path, const std::string& body) {
    return client().Post(path.c_str(), body, "application/json");
  }
  static httplib::Result post(const std::string& path, const json& body) { return post(path, body.dump()); }
  static int error_status(const httplib::Result& r) {
    if (!r) return -1;
    json j = json::parse(r->body, nullptr, false);
    bool shaped = j.is_object() && j["error"].is_object() && j["error"]["message"].is_string() &&
                  j["error"]["type"].is_string() && j["error"].contains("param") && j["error"].contains("code");
    return shaped ? r->status : -2;
  }
  static inline ServerProcess* server_ = nullptr;
};

json chat(int max_tokens, bool stream = false) {
  return {{"model", "stories"},
          {"messages", {{{"role", "user"}, {"content", "Tell me a story"}}}},
          {"max_tokens", max_tokens},
          {"stream", stream}};
}

TEST_F(Serve, GreedyCompletionMatchesTheReferenceEngine) {
  std::ifstream in(refdata_dir() / "models" / "stories260K.greedy.jsonl");
  std::string line;
  std::getline(in, line);
  json ref = json::parse(line);
  auto r = post("/v1/completions", json{{"model", "stories"}, {"prompt", ref["prompt"]}, {"max_tokens", 64},
                                        {"temperature", 0}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  json j = json::parse(r->body);
  EXPECT_EQ(j["choices"][0]["text"], ref["generated_text"]);
  EXPECT_EQ(j["usage"]["prompt_tokens"], ref["prompt_ids"].size());
  EXPECT_EQ(j["usage"]["completion_tokens"], 64);
  EXPECT_EQ(j["choices"][0]["finish_reason"], "length");
  EXPECT_EQ(r->get_header_value("X-Cellar-Model-Version"), "stories260K.gguf");
}

TEST_F(Serve, ChatStreamIsOpenAiSseAndMatchesNonStreaming) {
  json body = chat(24);
  body["temperature"] = 0;
  auto plain = post("/v1/chat/completions", body);
  ASSERT_EQ(plain->status, 200);
  body["stream"] = true;
  body["stream_options"] = {{"include_usage", true}};
  auto r = post("/v1/chat/completions", body);
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/event-stream");
  auto events = sse_data(r->body);
  ASSERT_GE(events.size(), 4u);
  EXPECT_EQ(events.back(), "[DONE]");
  EXPECT_EQ(json::parse(events[0])["choices"][0]["delta"]["role"], "assistant");
  std::string text;
  for (size_t i = 1; i + 3 < events.size(); ++i) text += json::parse(events[i])["choices"][0]["delta"]["content"];
  json fin = json::parse(events[events.size() - 3]);
  json usage = json::parse(events[events.size() - 2]);
  EXPECT_EQ(text, json::parse(plain->body)["choices"][0]["message"]["content"]);
  EXPECT_TRUE(fin["choices"][0]["delta"].empty());
  EXPECT_TRUE(usage["choices"].empty());
  EXPECT_EQ(usage["usage"]["completion_tokens"], json::parse(plain->body)["usage"]["completion_tokens"]);
}

TEST_F(Serve, OllamaGenerateAndChatStreamNdjson) {
  auto r = post("/api/chat", json{{"model", "stories"}, {"messages", {{{"role", "user"}, {"content", "Hi"}}}},
                                  {"options", {{"num_predict", 12}, {"temperature", 0}}}});
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/x-ndjson");
  std::vector<json> lines;
  std::istringstream ss(r->body);
  for (std::string l; std::getline(ss, l);) lines.push_back(json::parse(l));
  ASSERT_GE(lines.size(), 2u);
  for (size_t i = 0; i + 1 < lines.size(); ++i) EXPECT_FALSE(lines[i]["done"].get<bool>());
  const json& last = lines.back();
  EXPECT_TRUE(last["done"].get<bool>());
  EXPECT_EQ(last["done_reason"], "length");
  EXPECT_EQ(last["eval_count"], 12);
  EXPECT_GT(last["total_duration"].get<int64_t>(), 0);
  EXPECT_GT(last["prompt_eval_count"].get<int>(), 0);
  auto g = post("/api/generate", json{{"model", "stories:latest"}, {"prompt", "Once upon a time"}, {"raw", true},
                                      {"stream", false}, {"options", {{"num_predict", 5}, {"temperature", 0}}}});
  ASSERT_EQ(g->status, 200) << g->body;
  EXPECT_EQ(json::parse(g->body)["response"], ", there was a little");  // 5 tokens of the greedy reference
  auto tags = client().Get("/api/tags");
  EXPECT_EQ(json::parse(tags->body)["models"][0]["name"], "stories:latest");
  auto show = post("/api/show", json{{"model", "stories"}});
  EXPECT_EQ(json::parse(show->body)["model_info"]["general.architecture"], "llama");
}

TEST_F(Serve, BadInputGetsTheRightStatus) {
  EXPECT_EQ(error_status(post("/v1/chat/completions", std::string("{oops"))), 400);
  EXPECT_EQ(error_status(post("/v1/chat/completions", json{{"model", "stories"}})), 400);
  json wrong = chat(4);
  wrong["temperature"] = "warm";
  EXPECT_EQ(error_status(post("/v1/chat/completions", wrong)), 400);
  json unknown = chat(4);
  unknown["model"] = "gpt-4";
  EXPECT_EQ(error_status(post("/v1/chat/completions", unknown)), 404);
  EXPECT_EQ(error_status(post("/v1/chat/completions", std::string(R"({"model":"stories","messages":[{"role":"user","content":"\xff"}]})"))), 400);
  EXPECT_EQ(error_status(post("/v1/completions", json{{"model", "stories"}, {"prompt", ""}})), 400);
  EXPECT_EQ(error_status(post("/v1/chat/completions", chat(-3))), 400);
  auto huge = post("/v1/chat/completions", chat(100000));
  EXPECT_EQ(error_status(huge), 400);
  EXPECT_NE(huge->body.find("512"), std::string::npos) << huge->body;
  json hot = chat(4);
  hot["temperature"] = 9;
  EXPECT_EQ(error_status(post("/v1/chat/completions", hot)), 400);
  json big = chat(4);
  big["messages"][0]["content"] = std::string(70000, 'a');
  EXPECT_EQ(error_status(post("/v1/chat/completions", big)), 413);
  json long_prompt = chat(4);
  long_prompt["messages"][0]["content"] = std::string(3000, 'a');  // fits the body limit, not the context
  auto lp = post("/v1/chat/completions", long_prompt);
  EXPECT_EQ(error_status(lp), 400);
  EXPECT_NE(lp->body.find("maximum context length is 512"), std::string::npos) << lp->body;
  EXPECT_EQ(error_status(client().Get("/v1/unknown")), 404);
  EXPECT_EQ(error_status(client().Get("/v1/chat/completions")), 405);
  EXPECT_EQ(post("/v1/chat/completions", chat(2))->status, 200);  // still up
}

TEST_F(Serve, ClientDisconnectMidStreamCancelsInTheEngine) {
  json body = chat(440, true);
  body["logit_bias"] = {{"2", -100}};  // no end of text: the stream would run all 440 tokens
  httplib::Request req;
  req.method = "POST";
  req.path = "/v1/chat/completions";
  req.body = body.dump();
  req.set_header("Content-Type", "application/json");
  int chunks = 0;
  req.content_receiver = [&](const char*, size_t, uint64_t, uint64_t) { return ++chunks < 2; };
  client().send(req);
  // The access log records how the request ended and how many tokens it cost.
  std::string entry;
  for (int i = 0; i < 200 && entry.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::istringstream ss(server_->log());
    for (std::string l; std::getline(ss, l);) {
      if (l.find("\"finish_reason\":\"cancelled\"") != std::string::npos) entry = l;
    }
  }
  ASSERT_FALSE(entry.empty()) << server_->log();
  EXPECT_LT(json::parse(entry)["completion_tokens"].get<int>(), 440) << entry;
  // The slot is free again.
  std::string metrics;
  for (int i = 0; i < 100; ++i) {
    metrics = client().Get("/metrics")->body;
    if (metrics.find("cellar_num_requests_running{model=\"stories\"} 0") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_NE(metrics.find("cellar_num_requests_running{model=\"stories\"} 0"), std::string::npos);
}

TEST_F(Serve, HundredConcurrentConnectionsOnTwoSlots) {
  std::atomic<int> ok{0}, busy{0}, other{0};
  std::vector<std::thread> ts;
  for (int i = 0; i < 100; ++i) {
    ts.emplace_back([&, i] {
      auto r = post("/v1/chat/completions", chat(8, i % 2 == 0));
      if (r && r->status == 200) ok++;
      else if (r && r->status == 429 && !r->get_header_value("Retry-After").empty()) busy++;
      else other++;
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(ok + busy, 100);
  EXPECT_GE(ok.load(), 2);
  EXPECT_EQ(client().Get("/health")->status, 200);
}

TEST_F(Serve, MetricsPassPromtool) {
  post("/v1/chat/completions", chat(4));
  auto r = client().Get("/metrics");
  ASSERT_EQ(r->status, 200);
  for (const char* name : {"cellar_http_requests_total", "cellar_prompt_tokens_total", "cellar_generation_tokens_total",
                           "cellar_time_to_first_token_seconds_bucket", "cellar_inter_token_latency_seconds_bucket",
                           "cellar_e2e_request_latency_seconds_bucket", "cellar_request_queue_time_seconds_bucket",
                           "cellar_num_requests_running", "cellar_num_requests_waiting", "cellar_kv_cache_usage_perc",
                           "cellar_model_loaded_bytes{model=\"stories\",version=\"stories260K.gguf\"}",
                           "cellar_model_load_seconds{model=\"stories\"}",
                           "cellar_model_warmup_seconds{model=\"stories\"}", "process_resident_memory_bytes"}) {
    EXPECT_NE(r->body.find(name), std::string::npos) << name;
  }
  if (std::system("command -v promtool >/dev/null 2>&1") != 0) GTEST_SKIP() << "promtool not installed";
  TempDir dir;
  std::ofstream(dir / "m.txt") << r->body;
  std::string cmd = "promtool check metrics < " + (dir / "m.txt").string() + " > " + (dir / "o.txt").string() + " 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << read_file(dir / "o.txt");
}

TEST_F(Serve, PromptsAreNotLoggedByDefault) {
  post("/v1/chat/completions", json{{"model", "stories"},
                                    {"messages", {{{"role", "user"}, {"content", "secret-marker-7731"}}}},
                                    {"max_tokens", 2}});
  EXPECT_EQ(server_->log().find("secret-marker-7731"), std::string::npos);
}

TEST(ServeLifecycle, SigtermFinishesInFlightThenExitsZero) {
  CELLAR_REQUIRE_REFDATA();
  ServerProcess s({"--model", "stories=" + stories_model(), "--parallel", "1", "--ctx", "512", "-t", "1"});
  ASSERT_TRUE(s.wait_ready());
  json body = chat(400, true);
  body["logit_bias"] = {{"2", -100}};
  std::string streamed;
  std::thread in_flight([&] {
    httplib::Client c("127.0.0.1", s.port());
    httplib::Request req;
    req.method = "POST";
    req.path = "/v1/chat/completions";
    req.body = body.dump();
    req.set_header("Content-Type", "application/json");
    req.content_receiver = [&](const char* d, size_t n, uint64_t, uint64_t) {
      streamed.append(d, n);
      return true;
    };
    c.send(req);
  });
  while (streamed.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(s.stop(SIGTERM), 0) << s.log();
  in_flight.join();
  EXPECT_EQ(sse_data(streamed).back(), "[DONE]");
  EXPECT_NE(s.log().find("SIGTERM received"), std::string::npos);
}

TEST(ServeLifecycle, TlsWithASelfSignedCertificate) {
  CELLAR_REQUIRE_REFDATA();
  TempDir dir;
  std::string cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
  std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext "
                    "subjectAltName=IP:127.0.0.1 -keyout " + key + " -out " + cert + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  ServerProcess s({"--model", "stories=" + stories_model(), "--tls-cert", cert, "--tls-key", key, "-t", "1"}, true);
  ASSERT_TRUE(s.wait_ready()) << s.log();
  httplib::SSLClient c("127.0.0.1", s.port());
  c.set_ca_cert_path(cert.c_str());
  c.enable_server_certificate_verification(true);
  auto r = c.Post("/v1/chat/completions", chat(3).dump(), "application/json");
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["usage"]["completion_tokens"], 3);
  httplib::Client plain("127.0.0.1", s.port());
  plain.set_read_timeout(2, 0);
  auto p = plain.Get("/health");
  EXPECT_TRUE(!p || p->status != 200);
  EXPECT_EQ(s.stop(), 0);
}

TEST(ServeLifecycle, BadStartupInputIsOneLineAndExitOne) {
  ServerProcess* p = nullptr;
  try {
    p = new ServerProcess({"--model", "x=/nonexistent.gguf"});
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
  }
  EXPECT_EQ(p, nullptr);
  delete p;
}

TEST(ServeLifecycle, SilentClientsAreDroppedAfterTheReadTimeout) {
  CELLAR_REQUIRE_REFDATA();
  ServerProcess s({"--model", "stories=" + stories_model(), "-t", "1", "--read-timeout", "1"});
  ASSERT_TRUE(s.wait_ready());
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(s.port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const char partial[] = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n";  // headers never finish
  ASSERT_GT(write(fd, partial, sizeof partial - 1), 0);
  auto t0 = std::chrono::steady_clock::now();
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char buf[256];
  ssize_t n = read(fd, buf, sizeof buf);  // 0 (closed) or an error reply, then closed
  while (n > 0) n = read(fd, buf, sizeof buf);
  auto waited = std::chrono::steady_clock::now() - t0;
  close(fd);
  EXPECT_EQ(n, 0) << "the server should close the connection";
  EXPECT_LT(waited, std::chrono::seconds(5));
  EXPECT_EQ(s.stop(), 0);
}

TEST(ServeLifecycle, AModelThatFailsToLoadExitsOneWithTheReason) {
  TempDir dir;
  std::ofstream(dir / "bad.gguf") << "not a model";
  ServerProcess s({"--model", "x=" + (dir / "bad.gguf").string()});
  EXPECT_EQ(s.stop(0), 1);  // signal 0: only wait for the exit
  EXPECT_NE(s.log().find("not a GGUF file"), std::string::npos) << s.log();
}

}  // namespace
}  // namespace cellar::test
