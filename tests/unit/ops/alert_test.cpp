#include <gtest/gtest.h>

#include "fake_servers.h"
#include "ops/alert_state.h"
#include "ops/probe_job.h"
#include "ops/webhook.h"
#include "support/test_support.h"

namespace cellar::ops {
namespace {

using nlohmann::json;
using test::FakeOpenAi;
using test::WebhookReceiver;

TEST(AlertState, AlertsOnceAfterNFailuresAndRecoversOnce) {
  AlertState s;
  std::vector<AlertAction> got;
  for (bool passed : {false, false, false, false, false, true, true, false})
    got.push_back(advance_alert_state(s, passed, 3, "t"));
  using A = AlertAction;
  EXPECT_EQ(got, (std::vector<A>{A::kNone, A::kNone, A::kAlert, A::kNone, A::kNone, A::kRecovered, A::kNone,
                                 A::kNone}));
  EXPECT_EQ(s.consecutive_failures, 1);
}

TEST(AlertState, PassBeforeThresholdSendsNothing) {
  AlertState s;
  EXPECT_EQ(advance_alert_state(s, false, 3, "t1"), AlertAction::kNone);
  EXPECT_EQ(s.failing_since, "t1");
  EXPECT_EQ(advance_alert_state(s, true, 3, "t2"), AlertAction::kNone);
  EXPECT_EQ(s.consecutive_failures, 0);
  EXPECT_EQ(s.last_success, "t2");
}

TEST(AlertState, FileRoundTripAndRejectsGarbage) {
  cellar::test::TempDir dir;
  AlertStateFile f;
  f.set("s", AlertState{2, true, "a", "b", "c"});
  f.save(dir / "state.json");
  auto back = AlertStateFile::load(dir / "state.json").get("s");
  EXPECT_EQ(back.consecutive_failures, 2);
  EXPECT_TRUE(back.alerted);
  EXPECT_EQ(back.failing_since, "a");
  EXPECT_EQ(AlertStateFile::load(dir / "missing.json").get("s").consecutive_failures, 0);
  std::ofstream(dir / "bad.json") << "[1,2]";
  EXPECT_THROW(AlertStateFile::load(dir / "bad.json"), std::runtime_error);
}

TEST(Webhook, FormatFollowsUrlOrFlag) {
  EXPECT_EQ(choose_webhook_format("https://hooks.slack.com/services/T/B/X", "auto"), WebhookFormat::kSlack);
  EXPECT_EQ(choose_webhook_format("http://127.0.0.1:9/hook", ""), WebhookFormat::kGeneric);
  EXPECT_EQ(choose_webhook_format("http://127.0.0.1:9/hook", "slack"), WebhookFormat::kSlack);
  EXPECT_THROW(choose_webhook_format("http://127.0.0.1:9/hook", "teams"), std::invalid_argument);
  AlertEvent e{AlertAction::kAlert, "daily", "http://s", "now", 3, 3, "then", {{"capital", "missing \"Paris\""}}};
  auto slack = json::parse(alert_body(e, WebhookFormat::kSlack));
  ASSERT_EQ(slack.size(), 1u);
  EXPECT_NE(slack["text"].get<std::string>().find("capital: missing \"Paris\""), std::string::npos);
  auto generic = json::parse(alert_body(e, WebhookFormat::kGeneric));
  EXPECT_EQ(generic["event"], "alert");
  EXPECT_EQ(generic["consecutive_failures"], 3);
  EXPECT_EQ(generic["failures"][0]["question"], "capital");
}

TEST(Webhook, RetriesUntilTheReceiverAccepts) {
  WebhookReceiver hook;
  hook.status = 503;
  WebhookOptions o;
  o.first_backoff = std::chrono::milliseconds(10);
  auto d = post_webhook(hook.url(), "{}", o);
  EXPECT_FALSE(d.delivered);
  EXPECT_EQ(d.attempts, 3);
  EXPECT_EQ(hook.bodies().size(), 3u);
  EXPECT_NE(d.error.find("HTTP 503"), std::string::npos) << d.error;
}

struct ProbeCase {
  FakeOpenAi server;
  WebhookReceiver hook;
  cellar::test::TempDir dir;
  bool healthy = true;

  ProbeCase() {
    server.answer = [this](const json&) { return FakeOpenAi::Reply{healthy ? "Paris" : "Lyon"}; };
  }
  ProbeJobOptions options(const std::string& webhook) {
    ProbeJobOptions o;
    o.url = server.url();
    o.alert_webhook = webhook;
    o.state = dir / "state.json";
    o.csv = dir / "health.csv";
    o.webhook.first_backoff = std::chrono::milliseconds(10);
    return o;
  }
  GoldenSuite suite() {
    GoldenSuite s{"daily", "s.yaml", {}};
    Question q{"capital", "Capital of France?", "", "assistant", 8, {}};
    q.expect.contains = {"Paris"};
    s.questions.push_back(q);
    return s;
  }
  // A fresh job each time, as cron would start a fresh process.
  ProbeJobReport run(const std::string& webhook) { return ProbeJob(suite(), options(webhook)).run_once(); }
};

TEST(ProbeAlerts, ThreeFailuresOneAlertFourthNoneThenOneRecovery) {
  ProbeCase c;
  c.healthy = false;
  for (int i = 0; i < 2; ++i) EXPECT_EQ(c.run(c.hook.url()).alert_action, AlertAction::kNone);
  EXPECT_TRUE(c.hook.bodies().empty());
  auto third = c.run(c.hook.url());
  EXPECT_EQ(third.alert_action, AlertAction::kAlert);
  ASSERT_TRUE(third.delivery && third.delivery->delivered);
  ASSERT_EQ(c.hook.bodies().size(), 1u);
  auto alert = json::parse(c.hook.bodies()[0]);
  EXPECT_EQ(alert["event"], "alert");
  EXPECT_EQ(alert["consecutive_failures"], 3);
  EXPECT_EQ(alert["failures"][0]["question"], "capital");

  EXPECT_EQ(c.run(c.hook.url()).alert_action, AlertAction::kNone);
  EXPECT_EQ(c.hook.bodies().size(), 1u);

  c.healthy = true;
  auto back = c.run(c.hook.url());
  EXPECT_EQ(back.alert_action, AlertAction::kRecovered);
  ASSERT_EQ(c.hook.bodies().size(), 2u);
  EXPECT_EQ(json::parse(c.hook.bodies()[1])["event"], "recovered");
  c.run(c.hook.url());
  EXPECT_EQ(c.hook.bodies().size(), 2u);
}

TEST(ProbeAlerts, WebhookDownDoesNotHangAndIsReported) {
  ProbeCase c;
  c.healthy = false;
  int dead_port;
  {
    test::LoopbackServer s;
    s.start();
    dead_port = s.port();
  }
  std::string dead = "http://127.0.0.1:" + std::to_string(dead_port) + "/hook";
  c.run(dead);
  c.run(dead);
  auto t0 = std::chrono::steady_clock::now();
  auto third = c.run(dead);
  auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_LT(took, std::chrono::seconds(6));
  EXPECT_EQ(third.alert_action, AlertAction::kAlert);
  ASSERT_TRUE(third.delivery.has_value());
  EXPECT_FALSE(third.delivery->delivered);
  ASSERT_FALSE(third.problems.empty());
  EXPECT_NE(third.problems[0].find("alert not delivered"), std::string::npos);
  // Undelivered: the next failing run tries again, now that the receiver is back.
  auto fourth = c.run(c.hook.url());
  EXPECT_EQ(fourth.alert_action, AlertAction::kAlert);
  EXPECT_EQ(c.hook.bodies().size(), 1u);
}

}  // namespace
}  // namespace cellar::ops
