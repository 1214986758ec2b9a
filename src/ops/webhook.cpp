#include "ops/webhook.h"

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>
#include <thread>

#include "ops/http_error.h"
#include "ops/http_target.h"

namespace cellar::ops {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::string host_name() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

WebhookFormat choose_webhook_format(const std::string& url, const std::string& format) {
  if (format == "slack") return WebhookFormat::kSlack;
  if (format == "generic") return WebhookFormat::kGeneric;
  if (!format.empty() && format != "auto")
    throw std::invalid_argument("--alert-format must be auto, slack or generic, not '" + format + "'");
  HttpTarget t = parse_http_url(url);
  return ends_with(t.host, "hooks.slack.com") ? WebhookFormat::kSlack : WebhookFormat::kGeneric;
}

std::string alert_text(const AlertEvent& e) {
  std::string host = host_name();
  if (e.action == AlertAction::kRecovered)
    return ":white_check_mark: Cellar probe '" + e.suite + "' recovered on " + host + " (" + e.server_url +
           "): all questions pass again at " + e.time + " (failing since " + e.failing_since + ").";
  std::string t = ":rotating_light: Cellar probe '" + e.suite + "' failed " +
                  std::to_string(e.consecutive_failures) + " runs in a row on " + host + " (" +
                  e.server_url + "), failing since " + e.failing_since + ".";
  for (const auto& f : e.failures) t += "\n- " + f.question + ": " + f.reason;
  return t;
}

std::string alert_body(const AlertEvent& e, WebhookFormat format) {
  if (format == WebhookFormat::kSlack) return json{{"text", alert_text(e)}}.dump();
  json failures = json::array();
  for (const auto& f : e.failures) failures.push_back({{"question", f.question}, {"reason", f.reason}});
  return json{{"event", e.action == AlertAction::kRecovered ? "recovered" : "alert"},
              {"suite", e.suite},
              {"server_url", e.server_url},
              {"host", host_name()},
              {"time", e.time},
              {"consecutive_failures", e.consecutive_failures},
              {"alert_after", e.alert_after},
              {"failing_since", e.failing_since},
              {"failures", failures},
              {"text", alert_text(e)}}
      .dump();
}

Delivery post_webhook(const std::string& url, const std::string& body, const WebhookOptions& o) {
  Delivery d;
  HttpTarget target;
  try {
    target = parse_http_url(url);
  } catch (const UrlError& e) {
    d.error = e.what();
    return d;
  }
  const auto deadline = Clock::now() + o.total_budget;
  milliseconds backoff = o.first_backoff;
  for (d.attempts = 1; d.attempts <= o.attempts; ++d.attempts) {
    auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (left <= milliseconds(0)) break;
    httplib::Client cli(target.origin());
    cli.set_connection_timeout(std::min(o.connect_timeout, left));
    cli.set_read_timeout(std::min(o.read_timeout, left));
    cli.set_write_timeout(std::min(o.read_timeout, left));
    auto res = cli.Post(target.path.empty() ? "/" : target.path, body, "application/json");
    if (res && res->status >= 200 && res->status < 300) {
      d.delivered = true;
      return d;
    }
    d.error = res ? "HTTP " + std::to_string(res->status) : describe_http_error(res.error());
    if (d.attempts == o.attempts) break;
    auto wait = std::min(backoff, std::chrono::duration_cast<milliseconds>(deadline - Clock::now()));
    if (wait <= milliseconds(0)) break;
    std::this_thread::sleep_for(wait);
    backoff *= 2;
  }
  d.attempts = std::min(d.attempts, o.attempts);
  d.error = "webhook " + target.origin() + " not reached after " + std::to_string(d.attempts) +
            " tries: " + d.error;
  return d;
}

}  // namespace cellar::ops
