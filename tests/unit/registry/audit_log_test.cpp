#include <gtest/gtest.h>

#include "registry/deployment_registry.h"
#include "registry/key_registry.h"
#include "registry/timestamps.h"
#include "registry_fixture.h"

namespace cellar::registry::test {
namespace {

class AuditLogTest : public RegistryTest {
 protected:
  // Four rows of different kinds.
  void make_history() {
    TemplateRegistry templates(catalog());
    templates.set("chat", TemplateSpec{"v1", std::nullopt, {{"temperature", 0.5}}}, actor("ann"));
    templates.set("chat", TemplateSpec{"v2", std::nullopt, {{"temperature", 0.7}}}, actor("bob", "warmer"));
    KeyRegistry keys(catalog());
    keys.create("ci", Role::Operator, actor("ann"));
    keys.revoke("ci", actor("carol"));
  }
  AuditLog& log() { return catalog().audit(); }
};

TEST_F(AuditLogTest, RecordsWhoDidWhatWithBeforeAndAfter) {
  make_history();
  auto rows = log().list({});
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].seq, 1);
  EXPECT_EQ(rows[1].action, "template.set");
  EXPECT_EQ(rows[1].object, "template:chat:2");
  EXPECT_EQ(rows[1].actor, "bob");
  EXPECT_EQ(rows[1].reason, "warmer");
  EXPECT_EQ(nlohmann::json::parse(*rows[1].before)["system"], "v1");
  EXPECT_EQ(nlohmann::json::parse(*rows[1].after)["system"], "v2");
  EXPECT_FALSE(rows[0].before);
  EXPECT_EQ(rows[3].action, "key.revoke");
  EXPECT_EQ(rows[3].actor, "carol");
  EXPECT_EQ(rows[0].prev_hash, "");
  EXPECT_EQ(rows[1].prev_hash, rows[0].hash);
  auto ok = log().verify();
  EXPECT_TRUE(ok.ok) << ok.problem;
  EXPECT_EQ(ok.rows, 4);
  EXPECT_EQ(ok.head_hash, rows[3].hash);
}

TEST_F(AuditLogTest, AlteredRowIsDetectedAndNamed) {
  make_history();
  catalog().db().exec("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2");
  auto r = log().verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.bad_seq, 2);
  EXPECT_NE(r.problem.find("altered"), std::string::npos);
}

TEST_F(AuditLogTest, AlteredBeforeOrAfterJsonIsDetected) {
  make_history();
  catalog().db().exec("UPDATE audit_log SET after = replace(after, '0.7', '0.9') WHERE seq = 2");
  EXPECT_EQ(log().verify().bad_seq, 2);
}

TEST_F(AuditLogTest, RecomputedHashStillBreaksTheChain) {
  make_history();
  // A forger who edits row 2 and fixes its own hash breaks row 3's prev_hash.
  auto rows = log().list({});
  AuditEntry forged = rows[1];
  forged.actor = "mallory";
  forged.hash = AuditLog::chain_hash(forged.prev_hash, forged);
  catalog().db().prepare("UPDATE audit_log SET actor = ?1, hash = ?2 WHERE seq = 2")
      .bind(1, forged.actor).bind(2, forged.hash).run();
  auto r = log().verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.bad_seq, 3);
}

TEST_F(AuditLogTest, DeletedRowIsDetected) {
  make_history();
  catalog().db().exec("DELETE FROM audit_log WHERE seq = 2");
  auto r = log().verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.bad_seq, 3);
}

TEST_F(AuditLogTest, DeletedNewestRowIsDetected) {
  make_history();
  catalog().db().exec("DELETE FROM audit_log WHERE seq = 4");
  auto r = log().verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.bad_seq, 4);
  EXPECT_NE(r.problem.find("deleted"), std::string::npos);
}

TEST_F(AuditLogTest, RefusedChangeWritesNoRow) {
  make_history();
  KeyRegistry keys(catalog());
  EXPECT_THROW(keys.create("ci", Role::Admin, actor("ann")), Conflict);
  EXPECT_THROW(DeploymentRegistry(catalog()).rollback("nope", actor("ann")), NotFound);
  EXPECT_EQ(log().list({}).size(), 4u);
  EXPECT_TRUE(log().verify().ok);
}

TEST_F(AuditLogTest, FiltersByObjectAndTime) {
  make_history();
  EXPECT_EQ(log().list({std::nullopt, "template:chat", std::nullopt}).size(), 2u);
  EXPECT_EQ(log().list({std::nullopt, "chat", std::nullopt}).size(), 2u);
  EXPECT_EQ(log().list({std::nullopt, "template:chat:2", std::nullopt}).size(), 1u);
  EXPECT_EQ(log().list({std::nullopt, "key:ci", std::nullopt}).size(), 2u);
  EXPECT_EQ(log().list({std::nullopt, "cha", std::nullopt}).size(), 0u);
  EXPECT_EQ(log().list({"2999-01-01T00:00:00.000Z", std::nullopt, std::nullopt}).size(), 0u);
  EXPECT_EQ(log().list({"2000-01-01T00:00:00.000Z", std::nullopt, std::nullopt}).size(), 4u);
  auto newest = log().list({std::nullopt, std::nullopt, 1});
  ASSERT_EQ(newest.size(), 1u);
  EXPECT_EQ(newest[0].seq, 4);
}

TEST(AuditSince, ParsesAbsoluteAndRelativeTimes) {
  auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));  // 2027-01-15T08:00:00Z
  EXPECT_EQ(parse_since("2026-11-26", now), "2026-11-26T00:00:00.000Z");
  EXPECT_EQ(parse_since("2026-11-26T08:30", now), "2026-11-26T08:30:00.000Z");
  EXPECT_EQ(parse_since("2026-11-26 08:30:15Z", now), "2026-11-26T08:30:15.000Z");
  EXPECT_EQ(parse_since("2h", now), "2027-01-15T06:00:00.000Z");
  EXPECT_EQ(parse_since("1d", now), "2027-01-14T08:00:00.000Z");
  for (const char* bad : {"yesterday", "2026-13-01", "5x", "", "h"}) {
    EXPECT_THROW(parse_since(bad, now), InvalidInput) << bad;
  }
}

}  // namespace
}  // namespace cellar::registry::test
