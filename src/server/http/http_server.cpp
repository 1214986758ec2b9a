#include "server/http/http_server.h"

#include <httplib.h>

#include <cmath>
#include <cstdio>
#include <ctime>

#include <nlohmann/json.hpp>

#include "guard/pii.h"

namespace cellar::server {
namespace {

constexpr int kListenBacklog = 1024;

double round_ms(double seconds) { return std::round(seconds * 1e6) / 1e3; }

std::string utc_timestamp() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

ErrorStyle style_for_path(const std::string& path) {
  return path.rfind("/api/", 0) == 0 ? ErrorStyle::kOllama : ErrorStyle::kOpenAi;
}

// The error for a status httplib set itself (no route, oversized body, ...).
ApiError transport_error(const httplib::Request& req, int status, size_t max_body) {
  switch (status) {
    case 404:
      return ApiError(404, "invalid_request_error", "Unknown route: " + req.method + " " + req.path, {},
                      "unknown_url");
    case 413:
      return ApiError(413, "invalid_request_error",
                      "The request body is larger than the server's limit of " + std::to_string(max_body) +
                          " bytes.", {}, "request_too_large");
    case 414:
      return ApiError(414, "invalid_request_error", "The request URI is too long.");
    case 431:
      return ApiError(431, "invalid_request_error", "The request headers are too large or too many.");
    default:
      return ApiError(status, status >= 500 ? "server_error" : "invalid_request_error",
                      "The request failed with HTTP status " + std::to_string(status) + ".");
  }
}

// cpp-httplib 0.11 listens with a backlog of 5: a burst of clients overflows
// it and their connections are reset. Its listening socket is protected, so a
// thin subclass re-listens with a deeper backlog after binding.
template <class Base>
class DeepBacklog : public Base {
 public:
  using Base::Base;
  void raise_backlog(int n) {
    if (this->svr_sock_ != INVALID_SOCKET) ::listen(this->svr_sock_, n);
  }
};

template <class Base>
void raise_backlog(httplib::Server& s, int n) {
  static_cast<DeepBacklog<Base>&>(s).raise_backlog(n);
}

}  // namespace

void write_error(httplib::Response& res, const ApiError& err, ErrorStyle style) {
  nlohmann::json body;
  if (style == ErrorStyle::kOllama) {
    body = {{"error", err.what()}};
  } else {
    nlohmann::json e = {{"message", err.what()}, {"type", err.type()}, {"param", nullptr}, {"code", nullptr}};
    if (!err.param().empty()) e["param"] = err.param();
    if (!err.code().empty()) e["code"] = err.code();
    body = {{"error", e}};
  }
  res.status = err.status();
  if (err.retry_after_seconds) res.set_header("Retry-After", std::to_string(*err.retry_after_seconds));
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
}

HttpServer::HttpServer(HttpOptions opts, ServerMetrics& metrics) : opts_(std::move(opts)), metrics_(metrics) {
  if (opts_.tls_cert.empty() != opts_.tls_key.empty()) {
    throw std::invalid_argument("TLS needs both a certificate (--tls-cert) and a key (--tls-key)");
  }
  if (!opts_.tls_cert.empty()) {
    auto ssl = std::make_unique<DeepBacklog<httplib::SSLServer>>(opts_.tls_cert.c_str(), opts_.tls_key.c_str());
    if (!ssl->is_valid()) {
      throw std::invalid_argument("cannot use TLS certificate '" + opts_.tls_cert + "' with key '" + opts_.tls_key +
                                  "': unreadable, not PEM, or the key does not match the certificate");
    }
    server_ = std::move(ssl);
  } else {
    server_ = std::make_unique<DeepBacklog<httplib::Server>>();
  }
  int threads = std::max(4, opts_.threads);
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server_->set_payload_max_length(opts_.max_body_bytes);
  server_->set_read_timeout(opts_.read_timeout_seconds, 0);
  server_->set_write_timeout(opts_.write_timeout_seconds, 0);
  server_->set_keep_alive_timeout(opts_.keep_alive_seconds);
  server_->set_keep_alive_max_count(100);
  server_->set_tcp_nodelay(true);
  install_hooks();
}

HttpServer::~HttpServer() { stop(); }

RequestContext& HttpServer::context_for(const httplib::Request& req) {
  std::lock_guard lock(ctx_mu_);
  return contexts_[&req];
}

void HttpServer::install_hooks() {
  server_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    auto style = style_for_path(req.path);
    if (static_cast<int>(req.headers.size()) > opts_.max_headers) {
      write_error(res, transport_error(req, 431, opts_.max_body_bytes), style);
      return httplib::Server::HandlerResponse::Handled;
    }
    if (draining_ && req.path != "/health" && req.path != "/metrics") {
      ApiError err(503, "server_error", "The server is shutting down; retry on another instance.");
      err.retry_after_seconds = 5;
      write_error(res, err, style);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server_->set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request& req,
                                                                        httplib::Response& res) {
    if (!res.body.empty() || res.content_provider_) return httplib::Server::HandlerResponse::Unhandled;
    auto it = methods_by_path_.find(req.path);
    if (res.status == 404 && it != methods_by_path_.end()) {
      std::string allow;
      for (const auto& m : it->second) allow += (allow.empty() ? "" : ", ") + m;
      res.set_header("Allow", allow);
      write_error(res, ApiError(405, "invalid_request_error", "Method " + req.method + " is not allowed on " +
                                req.path + "; use " + allow + "."), style_for_path(req.path));
      return httplib::Server::HandlerResponse::Handled;
    }
    write_error(res, transport_error(req, res.status, opts_.max_body_bytes), style_for_path(req.path));
    return httplib::Server::HandlerResponse::Handled;
  }));
  server_->set_logger([this](const httplib::Request& req, const httplib::Response& res) { log_request(req, res); });
}

void HttpServer::add(const std::string& method, const std::string& path, ErrorStyle style, RouteHandler h,
                     bool is_protected, const std::string& pattern) {
  if (pattern.empty()) methods_by_path_[path].insert(method);
  style_by_path_[path] = style;
  auto wrapped = [this, path, style, h = std::move(h), is_protected](const httplib::Request& req,
                                                                     httplib::Response& res) {
    auto& ctx = context_for(req);
    ctx.route = path;
    try {
      if (is_protected && guard_) guard_(req, ctx);
      h(req, res, ctx);
    } catch (const ApiError& e) {
      ctx.error = opts_.log_prompts ? std::string(e.what()) : e.type();
      write_error(res, e, style);
    } catch (const std::exception& e) {
      ctx.error = opts_.log_prompts ? std::string(e.what()) : "server_error";
      write_error(res, ApiError(500, "server_error", std::string("Internal server error: ") + e.what()), style);
    }
  };
  // httplib patterns are regular expressions; literal paths contain no metacharacters.
  const std::string& route = pattern.empty() ? path : pattern;
  if (method == "GET") server_->Get(route, wrapped);
  else if (method == "POST") server_->Post(route, wrapped);
  else if (method == "DELETE") server_->Delete(route, wrapped);
  else throw std::logic_error("unsupported HTTP method " + method);
}

void HttpServer::get(const std::string& path, ErrorStyle style, RouteHandler h, bool is_protected) {
  add("GET", path, style, std::move(h), is_protected);
}

void HttpServer::get_pattern(const std::string& pattern, const std::string& label, ErrorStyle style, RouteHandler h) {
  add("GET", label, style, std::move(h), true, pattern);
}

void HttpServer::post(const std::string& path, ErrorStyle style, RouteHandler h, bool is_protected) {
  add("POST", path, style, std::move(h), is_protected);
}

void HttpServer::route(const std::string& method, const std::string& label, ErrorStyle style, RouteHandler h,
                       const std::string& pattern) {
  add(method, label, style, std::move(h), true, pattern);
}

void HttpServer::log_request(const httplib::Request& req, const httplib::Response& res) {
  RequestContext ctx;
  {
    std::lock_guard lock(ctx_mu_);
    auto it = contexts_.find(&req);
    if (it != contexts_.end()) {
      ctx = std::move(it->second);
      contexts_.erase(it);
    }
  }
  if (ctx.route.empty()) ctx.route = "unmatched";
  ctx.status = res.status;
  metrics_.http_requests.with({ctx.route, std::to_string(res.status)}).inc();
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.start).count();
  nlohmann::json line = {{"time", utc_timestamp()}, {"method", req.method},    {"route", ctx.route},
                         {"status", res.status},    {"duration_ms", round_ms(elapsed)}};
  if (!ctx.model.empty()) {
    line["model"] = ctx.model;
    line["stream"] = ctx.stream;
    line["prompt_tokens"] = ctx.prompt_tokens;
    line["cached_tokens"] = ctx.cached_tokens;
    line["completion_tokens"] = ctx.completion_tokens;
  }
  if (ctx.ttft_seconds >= 0) line["ttft_ms"] = round_ms(ctx.ttft_seconds);
  if (ctx.queue_seconds >= 0) line["queue_ms"] = round_ms(ctx.queue_seconds);
  if (!ctx.finish_reason.empty()) line["finish_reason"] = ctx.finish_reason;
  if (!ctx.error.empty()) line["error"] = ctx.error;
  if (opts_.log_prompts) {
    line["prompt"] = opts_.redact_logged_pii ? guard::redact_pii(ctx.prompt).text : ctx.prompt;
    line["completion"] = opts_.redact_logged_pii ? guard::redact_pii(ctx.completion).text : ctx.completion;
  }
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::fwrite(text.data(), 1, text.size(), stderr);
  if (on_complete_) on_complete_(ctx);
}

int HttpServer::bind() {
  int port = opts_.port == 0 ? server_->bind_to_any_port(opts_.host)
                             : (server_->bind_to_port(opts_.host, opts_.port) ? opts_.port : -1);
  if (port < 0) {
    throw std::runtime_error("cannot listen on " + opts_.host + ":" + std::to_string(opts_.port) +
                             " (address in use, or not an address of this machine)");
  }
  if (tls()) raise_backlog<httplib::SSLServer>(*server_, kListenBacklog);
  else raise_backlog<httplib::Server>(*server_, kListenBacklog);
  return port;
}

void HttpServer::serve() { server_->listen_after_bind(); }

void HttpServer::stop() {
  if (server_ && server_->is_running()) server_->stop();
}

}  // namespace cellar::server
