#pragma once
// Delivers alert messages to a webhook (Slack incoming webhook or anything
// that accepts JSON). Bounded in time: an unreachable receiver costs at most
// total_budget, never a hang.
#include <chrono>
#include <string>
#include <vector>

#include "ops/alert_state.h"

namespace cellar::ops {

enum class WebhookFormat { kSlack, kGeneric };

// "slack" or "generic" pick explicitly; "auto" (or empty) means Slack when
// the URL's host is hooks.slack.com. Throws std::invalid_argument otherwise.
WebhookFormat choose_webhook_format(const std::string& url, const std::string& format);

struct FailedQuestion {
  std::string question;
  std::string reason;
};

struct AlertEvent {
  AlertAction action = AlertAction::kAlert;  // kAlert or kRecovered
  std::string suite;
  std::string server_url;
  std::string time;
  int consecutive_failures = 0;
  int alert_after = 0;
  std::string failing_since;
  std::vector<FailedQuestion> failures;  // of the latest run
};

std::string alert_text(const AlertEvent& e);  // one human-readable paragraph
std::string alert_body(const AlertEvent& e, WebhookFormat format);  // the JSON to POST

struct WebhookOptions {
  int attempts = 3;
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds read_timeout{1500};
  std::chrono::milliseconds first_backoff{250};  // doubles after each failed try
  std::chrono::milliseconds total_budget{5000};
};

struct Delivery {
  bool delivered = false;
  int attempts = 0;
  std::string error;  // last failure, when not delivered
};

// POSTs `body` as application/json; 2xx counts as delivered. Never throws.
Delivery post_webhook(const std::string& url, const std::string& body, const WebhookOptions& options);

}  // namespace cellar::ops
