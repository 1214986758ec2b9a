#pragma once
// The HTTP transport over cpp-httplib: limits (body size, headers, read/write
// timeouts against slow clients), TLS, routing with 404/405 in OpenAI's error
// shape, per-request context for the JSON access log and request metrics, and
// a draining mode that answers 503 while the process shuts down.
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "server/api_error.h"
#include "server/http/request_context.h"
#include "server/server_metrics.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace cellar::server {

struct HttpOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 = any free port
  std::string tls_cert;  // PEM files; both set = HTTPS
  std::string tls_key;
  size_t max_body_bytes = 8 << 20;
  int read_timeout_seconds = 30;   // a client that sends nothing this long is dropped
  int write_timeout_seconds = 30;  // a client that reads nothing this long is dropped
  int keep_alive_seconds = 5;
  int max_headers = 100;
  int threads = 64;                // connection worker threads
  bool log_prompts = false;
  bool redact_logged_pii = true;   // with log_prompts: PII replaced by placeholders in the log line
};

enum class ErrorStyle { kOpenAi, kOllama };

using RouteHandler = std::function<void(const httplib::Request&, httplib::Response&, RequestContext&)>;

// Writes the error in the route's style, with Retry-After where given.
void write_error(httplib::Response& res, const ApiError& err, ErrorStyle style);

class HttpServer {
 public:
  HttpServer(HttpOptions opts, ServerMetrics& metrics);
  ~HttpServer();

  // Called before a protected route's handler; throws ApiError 401/403.
  using Guard = std::function<void(const httplib::Request&, RequestContext&)>;
  void set_guard(Guard guard) { guard_ = std::move(guard); }
  // Called with each finished request's context, after its log line (e.g. to charge tokens to its key).
  using Completion = std::function<void(const RequestContext&)>;
  void set_on_complete(Completion fn) { on_complete_ = std::move(fn); }

  void get(const std::string& path, ErrorStyle style, RouteHandler h, bool is_protected = true);
  // A route whose path is a regular expression (captures in req.matches); `label` names it in logs and metrics.
  void get_pattern(const std::string& pattern, const std::string& label, ErrorStyle style, RouteHandler h);
  void post(const std::string& path, ErrorStyle style, RouteHandler h, bool is_protected = true);
  // Any method ("GET", "POST", "DELETE") on a literal path or, with `pattern`, a regular expression.
  void route(const std::string& method, const std::string& label, ErrorStyle style, RouteHandler h,
             const std::string& pattern = {});

  int bind();            // returns the bound port; throws std::runtime_error when it cannot bind
  void serve();          // blocks until stop()
  void stop();
  void set_draining(bool on) { draining_ = on; }
  bool draining() const { return draining_; }
  bool tls() const { return !opts_.tls_cert.empty(); }
  const HttpOptions& options() const { return opts_; }

 private:
  void add(const std::string& method, const std::string& path, ErrorStyle style, RouteHandler h, bool is_protected,
           const std::string& pattern = {});
  void install_hooks();
  RequestContext& context_for(const httplib::Request& req);
  void log_request(const httplib::Request& req, const httplib::Response& res);

  HttpOptions opts_;
  ServerMetrics& metrics_;
  std::unique_ptr<httplib::Server> server_;
  Guard guard_;
  Completion on_complete_;
  std::atomic<bool> draining_{false};
  std::map<std::string, std::set<std::string>> methods_by_path_;
  std::map<std::string, ErrorStyle> style_by_path_;
  std::mutex ctx_mu_;
  std::map<const httplib::Request*, RequestContext> contexts_;
};

}  // namespace cellar::server
